# FaceTools beside another module's AWSSDK.Core, in either order, each case in a fresh pwsh process.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $ModulePath = (Get-Module FaceTools).ModuleBase
    $Packages = Get-NuGetPackagesFolder

    # Runs a script in a new pwsh process against the emulator; returns its last output line, parsed as JSON.
    function Invoke-Isolated([string] $Script) {
        $faces = New-TestFaces -Users @{ alice = 4 }
        $prelude = @"
`$ErrorActionPreference = 'Stop'
`$faces = '$($faces.alice -join "','")'
`$endpoint = '$Endpoint'
function Use-FaceTools([string] `$FaceId) {
    (Remove-RekFaceFromUser -CollectionId c1 -UserId alice -FaceId `$FaceId -Force -EndpointUrl `$endpoint).Status
}
function Get-LoadedAwsCore {
    [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'AWSSDK.Core' } | ForEach-Object {
        [pscustomobject]@{ Version = `$_.GetName().Version.ToString(); Context = [Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$_).Name; Location = `$_.Location }
    }
}
"@
        $lines = Invoke-FreshPwsh -Command ($prelude + $Script) -Environment $EmulatorEnvironment -PassThru
        $json = $lines | Where-Object { $_ -like '{*' } | Select-Object -Last 1
        if (-not $json) { throw "The child process wrote no result: $($lines -join [Environment]::NewLine)" }
        $json | ConvertFrom-Json
    }
}

AfterAll {
    Stop-RekEmulator $Emulator
}

Describe 'Coexistence with other AWSSDK.Core builds' {
    BeforeEach {
        $null = Invoke-RekEmulator $Emulator -Route reset
    }

    It 'works after AWSSDK.Core <Version> was loaded first, and that copy still works' -ForEach @(
        @{ Version = '3.7.402'; AssemblyVersion = '3.3.0.0' }
        @{ Version = '4.0.3.3'; AssemblyVersion = '4.0.0.0' }
    ) {
        $result = Invoke-Isolated @"
Add-Type -Path '$(Join-Path $Packages "awssdk.core/$Version/lib/net8.0/AWSSDK.Core.dll")'
Import-Module '$ModulePath'
`$status = Use-FaceTools `$faces[0]
`$theirs = New-Object Amazon.Runtime.BasicAWSCredentials('AKIDEXAMPLE', 'not-a-secret')
[pscustomobject]@{
    Status = `$status
    TheirType = `$theirs.GetType().Assembly.GetName().Version.ToString()
    TheirKey = `$theirs.GetCredentials().AccessKey
    Loaded = @(Get-LoadedAwsCore)
} | ConvertTo-Json -Compress -Depth 4
"@
        $result.Status | Should -Be 'Disassociated'
        $result.TheirType | Should -Be $AssemblyVersion
        $result.TheirKey | Should -Be 'AKIDEXAMPLE'
        @($result.Loaded | Where-Object Context -eq 'Default') | Should -HaveCount 1
        @($result.Loaded | Where-Object Context -eq 'Default')[0].Location | Should -BeLike "*$Version*"
        @($result.Loaded | Where-Object Context -eq 'FaceTools') | Should -HaveCount 1
    }

    It 'works when FaceTools is used first, then AWSSDK.Core <Version> is loaded and used, then FaceTools again' -ForEach @(
        @{ Version = '3.7.402'; AssemblyVersion = '3.3.0.0' }
        @{ Version = '4.0.3.3'; AssemblyVersion = '4.0.0.0' }
    ) {
        $result = Invoke-Isolated @"
Import-Module '$ModulePath'
`$first = Use-FaceTools `$faces[0]
Add-Type -Path '$(Join-Path $Packages "awssdk.core/$Version/lib/net8.0/AWSSDK.Core.dll")'
`$theirs = New-Object Amazon.Runtime.BasicAWSCredentials('AKIDEXAMPLE', 'not-a-secret')
`$second = Use-FaceTools `$faces[1]
[pscustomobject]@{ First = `$first; Second = `$second; TheirType = `$theirs.GetType().Assembly.GetName().Version.ToString(); Loaded = @(Get-LoadedAwsCore) } |
    ConvertTo-Json -Compress -Depth 4
"@
        $result.First | Should -Be 'Disassociated'
        $result.Second | Should -Be 'Disassociated'
        $result.TheirType | Should -Be $AssemblyVersion
        @($result.Loaded | Where-Object Context -eq 'FaceTools') | Should -HaveCount 1
    }

    It 'takes an AWSCredentials object from another AWSSDK.Core as -Credential' {
        $result = Invoke-Isolated @"
Add-Type -Path '$(Join-Path $Packages "awssdk.core/3.7.402/lib/net8.0/AWSSDK.Core.dll")'
Import-Module '$ModulePath'
`$credential = New-Object Amazon.Runtime.BasicAWSCredentials(`$env:AWS_ACCESS_KEY_ID, `$env:AWS_SECRET_ACCESS_KEY)
`$env:AWS_ACCESS_KEY_ID = `$null; `$env:AWS_SECRET_ACCESS_KEY = `$null
`$status = (Remove-RekFaceFromUser -CollectionId c1 -UserId alice -FaceId `$faces[2] -Force -EndpointUrl `$endpoint -Credential `$credential).Status
[pscustomobject]@{ Status = `$status } | ConvertTo-Json -Compress
"@
        $result.Status | Should -Be 'Disassociated'
    }

    It 'leaks none of its dependencies into the default load context' {
        $result = Invoke-Isolated @"
Import-Module '$ModulePath'
`$status = Use-FaceTools `$faces[0]
`$default = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { [Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$_) -eq [Runtime.Loader.AssemblyLoadContext]::Default } | ForEach-Object { `$_.GetName().Name }
[pscustomobject]@{ Status = `$status; Default = @(`$default | Where-Object { `$_ -match 'AWSSDK|FaceTools' }) } | ConvertTo-Json -Compress
"@
        $result.Status | Should -Be 'Disassociated'
        $result.Default | Should -Not -Contain 'AWSSDK.Core'
        $result.Default | Should -Not -Contain 'FaceTools.Engine'
        $result.Default | Should -Not -Contain 'AWSSDK.Extensions.Numerics'
        $result.Default | Should -Contain 'FaceTools'
    }

    It 'can be removed and imported again in the same session' {
        $result = Invoke-Isolated @"
Import-Module '$ModulePath'
`$first = Use-FaceTools `$faces[0]
Remove-Module FaceTools
`$gone = -not (Get-Command Remove-RekFaceFromUser -ErrorAction SilentlyContinue)
Import-Module '$ModulePath'
`$second = Use-FaceTools `$faces[1]
[pscustomobject]@{ First = `$first; Gone = `$gone; Second = `$second; Contexts = @(Get-LoadedAwsCore).Count } | ConvertTo-Json -Compress
"@
        $result.First | Should -Be 'Disassociated'
        $result.Gone | Should -BeTrue
        $result.Second | Should -Be 'Disassociated'
        $result.Contexts | Should -Be 1
    }
}

Describe 'Supported PowerShell versions' {
    It 'refuses a PowerShell 7 older than 7.4 (.NET <Runtime>), saying which it needs; accepts .NET 8 and Windows PowerShell' -ForEach @(
        @{ Runtime = '6.0.36' }
        @{ Runtime = '7.0.20' }
    ) {
        $check = [FaceTools.ModuleInitializer].GetMethod('UnsupportedRuntime', [Reflection.BindingFlags]'NonPublic, Static')
        $check.Invoke($null, @($false, [version] $Runtime)) | Should -Match "needs PowerShell 7\.4 or later .*\.NET $([regex]::Escape($Runtime))"
        $check.Invoke($null, @($false, [version] '8.0.0')) | Should -BeNullOrEmpty
        $check.Invoke($null, @($true, [version] '4.0.30319')) | Should -BeNullOrEmpty
    }

    It 'imports in this PowerShell' {
        (Get-Module FaceTools).Name | Should -Be 'FaceTools'
    }
}
