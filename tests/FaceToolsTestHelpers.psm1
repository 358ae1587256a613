# Helpers shared by build.ps1 and the Pester tests: fresh PowerShell processes and the emulator.
Set-StrictMode -Version 3.0

$script:DefaultAccessKey = 'AKIAFACETOOLSEMULATOR'
$script:DefaultSecretKey = 'FaceToolsEmulatorSecretKey0000000000000000'
$script:Root = Split-Path $PSScriptRoot

function Get-NuGetPackagesFolder {
    if ($env:NUGET_PACKAGES) { return $env:NUGET_PACKAGES }
    $line = & dotnet nuget locals global-packages --list
    ($line -replace '^global-packages:\s*', '').Trim()
}

# The command line that starts this same PowerShell, or the one in -PowerShellHome: 'pwsh', or 'dotnet pwsh.dll' for the dotnet tool.
function Get-PwshCommand {
    param([string] $PowerShellHome = $PSHOME)
    $native = Join-Path $PowerShellHome ($IsWindows ? 'pwsh.exe' : 'pwsh')
    if (Test-Path $native) { return , @($native) }
    , @('dotnet', (Join-Path $PowerShellHome 'pwsh.dll'))
}

# Whether an assembly carries code compiled ahead of time (ReadyToRun), as PowerShell's installers
# ship it, rather than IL only, as the dotnet tool's PowerShell does.
function Test-Precompiled {
    param([Parameter(Mandatory)] [string] $AssemblyPath)
    $reader = [Reflection.PortableExecutable.PEReader]::new([IO.File]::OpenRead($AssemblyPath))
    try { $reader.PEHeaders.CorHeader.ManagedNativeHeaderDirectory.Size -gt 0 } finally { $reader.Dispose() }
}

<#
.SYNOPSIS
    Runs a script in a new 'pwsh -NoProfile' process and returns its output lines.
#>
function Invoke-FreshPwsh {
    param(
        [Parameter(Mandatory)] [string] $Command,
        [hashtable] $Environment = @{},
        [switch] $PassThru,
        # Another PowerShell's folder ($PSHOME) to run instead of this one's.
        [string] $PowerShellHome = $PSHOME
    )
    $pwsh = Get-PwshCommand -PowerShellHome $PowerShellHome
    $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($Command))
    $exe = $pwsh[0]
    # -OutputFormat Text: with its output redirected, pwsh would otherwise write its other streams as CLIXML.
    $arguments = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-OutputFormat', 'Text', '-EncodedCommand', $encoded)
    Invoke-WithEnvironment $Environment {
        if ($PassThru) { & $exe @arguments 2>&1 | ForEach-Object { "$_" } }
        else { & $exe @arguments }
    }
}

# Runs a script block with environment variables set (for the processes it starts), then puts them back.
function Invoke-WithEnvironment {
    param([Parameter(Mandatory)] [hashtable] $Environment, [Parameter(Mandatory)] [scriptblock] $ScriptBlock)
    $saved = @{}
    foreach ($name in $Environment.Keys) {
        $saved[$name] = [Environment]::GetEnvironmentVariable($name)
        [Environment]::SetEnvironmentVariable($name, $Environment[$name])
    }
    try { & $ScriptBlock }
    finally {
        foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
    }
}

function Get-EmulatorPath {
    param([string] $Configuration = 'Release')
    if ($env:FACETOOLS_EMULATOR_DLL -and (Test-Path $env:FACETOOLS_EMULATOR_DLL)) { return $env:FACETOOLS_EMULATOR_DLL }
    Join-Path $script:Root "tests/FaceTools.Emulator/bin/$Configuration/net10.0/FaceTools.Emulator.dll"
}

<#
.SYNOPSIS
    Starts the Rekognition emulator on a free loopback port and returns its address and process.
#>
function Start-RekEmulator {
    param(
        [string] $Configuration = 'Release',
        [int] $LatencyMs = 0,
        [int] $ClockSkewSeconds = 0,
        [string] $Credentials
    )
    $dll = Get-EmulatorPath -Configuration $Configuration
    if (-not (Test-Path $dll)) { throw "The emulator is not built: $dll" }
    $start = [Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($argument in @($dll, '--port', '0', '--parent-pid', $PID, '--latency-ms', $LatencyMs, '--clock-skew-seconds', $ClockSkewSeconds)) {
        $start.ArgumentList.Add([string]$argument)
    }
    if ($Credentials) { $start.ArgumentList.Add('--credentials'); $start.ArgumentList.Add($Credentials) }
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.UseShellExecute = $false
    $process = [Diagnostics.Process]::Start($start)
    $read = $process.StandardOutput.ReadLineAsync()
    if (-not $read.Wait([TimeSpan]::FromSeconds(60)) -or -not $read.Result) {
        $process.Kill($true)
        throw "The emulator did not start: $($process.StandardError.ReadToEnd())"
    }
    if ($read.Result -notmatch '(http://127\.0\.0\.1:\d+)') { throw "Unexpected emulator output: $($read.Result)" }
    [pscustomobject]@{ PSTypeName = 'FaceTools.Tests.Emulator'; Url = $Matches[1]; Process = $process }
}

function Stop-RekEmulator {
    param([Parameter(Mandatory)] $Emulator)
    if ($Emulator.Process.HasExited) { return }
    try { $null = Invoke-RestMethod -Method Post -Uri "$($Emulator.Url)/_emulator/shutdown" -TimeoutSec 5 } catch { }
    if (-not $Emulator.Process.WaitForExit(5000)) { $Emulator.Process.Kill($true) }
}

<#
.SYNOPSIS
    Calls one of the emulator's control routes (reset, seed, state, config, faults, log).
#>
function Invoke-RekEmulator {
    param(
        [Parameter(Mandatory, Position = 0)] $Emulator,
        [Parameter(Mandatory)] [string] $Route,
        $Body
    )
    $uri = "$($Emulator.Url)/_emulator/$Route"
    if ($Route -in 'state', 'log' -and $null -eq $Body) { return Invoke-RestMethod -Uri $uri -TimeoutSec 30 }
    $json = if ($null -eq $Body) { '{}' } else { $Body | ConvertTo-Json -Depth 10 -Compress }
    Invoke-RestMethod -Method Post -Uri $uri -Body $json -ContentType 'application/json' -TimeoutSec 30
}

# The environment a client needs to call the emulator with its default credentials.
function Get-RekEmulatorEnvironment {
    param([Parameter(Mandatory)] $Emulator)
    @{
        AWS_ACCESS_KEY_ID         = $script:DefaultAccessKey
        AWS_SECRET_ACCESS_KEY     = $script:DefaultSecretKey
        AWS_SESSION_TOKEN         = $null
        AWS_REGION                = 'us-east-1'
        AWS_EC2_METADATA_DISABLED = 'true'
        AWS_ENDPOINT_URL_REKOGNITION = $Emulator.Url
        FACETOOLS_ENDPOINT        = $Emulator.Url
    }
}

function Get-RekEmulatorSecretKey { $script:DefaultSecretKey }
function Get-RekEmulatorAccessKey { $script:DefaultAccessKey }

Export-ModuleMember -Function Get-NuGetPackagesFolder, Get-PwshCommand, Test-Precompiled, Invoke-FreshPwsh, Invoke-WithEnvironment, Get-EmulatorPath,
    Start-RekEmulator, Stop-RekEmulator, Invoke-RekEmulator, Get-RekEmulatorEnvironment, Get-RekEmulatorSecretKey, Get-RekEmulatorAccessKey
