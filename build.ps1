#Requires -Version 7.2
<#
.SYNOPSIS
    Builds, tests, documents and demonstrates the FaceTools module.
.DESCRIPTION
    Build  assembles the importable module in out/FaceTools (the default).
    Test   builds, then runs every test suite (xunit, the JavaScript SDK interop test, Pester) and
           ends with one line "N passed, N failed"; exits non-zero on any failure.
    Demo   builds, starts the Rekognition emulator on a free loopback port, seeds it and runs a real
           pipeline through the built module.
    Docs   compiles docs/ into the module's help files.
    Bench  measures import time, throughput and memory against the emulator (-Smoke: small sizes).
    Clean  removes out/ and the projects' bin/ and obj/ folders.
.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 Test
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Build', 'Test', 'Demo', 'Docs', 'Bench', 'Clean')]
    [string[]] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Bench only: small sizes, so CI can run it without timing anything.
    [switch] $Smoke
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$Root = $PSScriptRoot
$OutDir = Join-Path $Root 'out'
$ModuleDir = Join-Path $OutDir 'FaceTools'
Import-Module (Join-Path $Root 'tests/FaceToolsTestHelpers.psm1') -Force

# A simple function (no param block), so dotnet's own switches are never taken for common parameters.
function Invoke-Dotnet {
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE." }
}

function Get-ModuleVersion {
    $props = [xml](Get-Content -Raw (Join-Path $Root 'src/Directory.Build.props'))
    $props.Project.PropertyGroup.VersionPrefix | Where-Object { $_ } | Select-Object -First 1
}

# The module folder, file by file: a missing file fails the build rather than shipping a broken module.
function Get-ModuleLayout {
    $cmdlets = Join-Path $Root "src/FaceTools/bin/$Configuration/netstandard2.0"
    $core = Join-Path $OutDir "obj/engine-core"
    $desktop = Join-Path $OutDir "obj/engine-desktop"
    $engineFiles = 'FaceTools.Engine.dll', 'AWSSDK.Core.dll', 'AWSSDK.Extensions.Numerics.dll', 'System.IO.Hashing.dll'
    $desktopOnly = 'System.Text.Json.dll', 'System.Text.Encodings.Web.dll', 'System.Memory.dll', 'System.Buffers.dll',
        'System.Numerics.Vectors.dll', 'System.Runtime.CompilerServices.Unsafe.dll', 'System.Threading.Tasks.Extensions.dll',
        'Microsoft.Bcl.AsyncInterfaces.dll'
    @(
        [pscustomobject]@{ Source = Join-Path $cmdlets 'FaceTools.dll'; Target = 'FaceTools.dll' }
        [pscustomobject]@{ Source = Join-Path $Root "src/FaceTools.LoadContext/bin/$Configuration/net8.0/FaceTools.LoadContext.dll"; Target = 'FaceTools.LoadContext.dll' }
        [pscustomobject]@{ Source = Join-Path $Root 'FaceTools.psd1'; Target = 'FaceTools.psd1' }
        [pscustomobject]@{ Source = Join-Path $Root 'src/FaceTools/FaceTools.format.ps1xml'; Target = 'FaceTools.format.ps1xml' }
        [pscustomobject]@{ Source = Join-Path $Root 'LICENSE'; Target = 'LICENSE' }
        [pscustomobject]@{ Source = Join-Path $Root 'src/FaceTools/THIRD-PARTY-NOTICES.txt'; Target = 'THIRD-PARTY-NOTICES.txt' }
        foreach ($file in $engineFiles) {
            [pscustomobject]@{ Source = Join-Path $core $file; Target = "Dependencies/Core/$file" }
        }
        foreach ($file in $engineFiles + $desktopOnly) {
            [pscustomobject]@{ Source = Join-Path $desktop $file; Target = "Dependencies/Desktop/$file" }
        }
    )
}

function Invoke-Build {
    Write-Host 'Building FaceTools...'
    Invoke-Dotnet build (Join-Path $Root 'src/FaceTools/FaceTools.csproj') -c $Configuration --nologo --verbosity quiet
    Invoke-Dotnet build (Join-Path $Root 'src/FaceTools.LoadContext/FaceTools.LoadContext.csproj') -c $Configuration --nologo --verbosity quiet
    Invoke-Dotnet publish (Join-Path $Root 'src/FaceTools.Engine/FaceTools.Engine.csproj') -c $Configuration -f net8.0 --nologo --verbosity quiet -o (Join-Path $OutDir 'obj/engine-core')
    Invoke-Dotnet publish (Join-Path $Root 'src/FaceTools.Engine/FaceTools.Engine.csproj') -c $Configuration -f netstandard2.0 --nologo --verbosity quiet -o (Join-Path $OutDir 'obj/engine-desktop')

    # The module is assembled in a folder of its own and replaces the previous one only when complete:
    # a failed build leaves that one as it was.
    $layout = Get-ModuleLayout
    $missing = @($layout | Where-Object { -not (Test-Path -LiteralPath $_.Source) })
    if ($missing) { throw "Module file(s) missing:`n$(($missing.Source | ForEach-Object { "  $_" }) -join "`n")" }
    $staging = Join-Path $OutDir 'obj/module'
    if (Test-Path $staging) { Remove-Item $staging -Recurse -Force }
    foreach ($item in $layout) {
        $target = Join-Path $staging $item.Target
        $null = New-Item -ItemType Directory -Force (Split-Path $target)
        Copy-Item -LiteralPath $item.Source $target
    }

    Invoke-Docs -Module $staging

    # Stamp the one version into the manifest.
    $manifest = Join-Path $staging 'FaceTools.psd1'
    $version = Get-ModuleVersion
    (Get-Content -Raw $manifest) -replace "ModuleVersion(\s*)=(\s*)'[^']*'", "ModuleVersion`$1=`$2'$version'" |
        Set-Content -NoNewline $manifest
    $null = Test-ModuleManifest $manifest
    if (Test-Path $ModuleDir) { Remove-Item $ModuleDir -Recurse -Force }
    Move-Item $staging $ModuleDir
    Write-Host "Module $version assembled in $([IO.Path]::GetRelativePath($Root, $ModuleDir))"
}

# docs/ (PlatyPS markdown) to the module's help: PlatyPS's New-ExternalHelp where it is installed,
# else the module's own small converter for the same schema.
function Invoke-Docs([string] $Module = $ModuleDir) {
    $helpDir = Join-Path $Module 'en-US'
    $null = New-Item -ItemType Directory -Force $helpDir
    $docs = Join-Path $Root 'docs'
    $cmdletPages = Get-ChildItem $docs -Filter '*-*.md'
    if (Get-Module -ListAvailable -Name platyPS) {
        Import-Module platyPS
        $null = New-ExternalHelp -Path $cmdletPages.FullName -OutputPath $helpDir -Force
        $null = New-ExternalHelp -Path (Join-Path $docs 'about_FaceTools.md') -OutputPath $helpDir -Force
    }
    else {
        Import-Module (Join-Path $Root 'src/Help/MarkdownHelp.psm1') -Force
        ConvertTo-MamlHelp -Path $cmdletPages.FullName -OutputPath (Join-Path $helpDir 'FaceTools.dll-Help.xml')
        ConvertTo-AboutHelp -Path (Join-Path $docs 'about_FaceTools.md') -OutputPath (Join-Path $helpDir 'about_FaceTools.help.txt')
    }
    foreach ($file in 'FaceTools.dll-Help.xml', 'about_FaceTools.help.txt') {
        if (-not (Test-Path (Join-Path $helpDir $file))) { throw "Help file missing: en-US/$file" }
    }
}

function Get-TrxCounts([string] $Path) {
    $trx = [xml](Get-Content -Raw $Path)
    $counters = $trx.TestRun.ResultSummary.Counters
    # Each failed test with the first line of its message, for the summary at the end of the run.
    $failures = @($trx.TestRun.Results.UnitTestResult | Where-Object outcome -NotIn 'Passed', 'NotExecuted' | ForEach-Object {
            $message = "$($_.Output.ErrorInfo.Message)".Trim() -split '\r?\n' | Select-Object -First 1
            "$($_.testName): $message"
        })
    [pscustomobject]@{ Passed = [int]$counters.passed; Failed = [int]$counters.failed + [int]$counters.error + [int]$counters.timeout; Skipped = [int]$counters.notExecuted; Failures = $failures }
}

# A suite that could not run or report counts as one failure, with the reason.
function New-FailedSuite([string] $Suite, [string] $Reason) {
    [pscustomobject]@{ Suite = $Suite; Passed = 0; Failed = 1; Skipped = 0; Failures = @($Reason) }
}

function Invoke-XunitSuite([string] $Project) {
    $name = [IO.Path]::GetFileNameWithoutExtension($Project)
    $results = Join-Path $OutDir "TestResults/$name"
    if (Test-Path $results) { Remove-Item $results -Recurse -Force }
    Write-Host "`n== xunit: $name"
    # To the host as it runs: the function's output is its counts alone.
    & dotnet test $Project -c $Configuration --nologo --logger "trx;LogFileName=$name.trx" --logger 'console;verbosity=minimal' --results-directory $results | Out-Host
    $trx = Join-Path $results "$name.trx"
    if (-not (Test-Path $trx)) { return New-FailedSuite $name 'the test run wrote no results (it did not build, or did not finish)' }
    $counts = Get-TrxCounts $trx
    [pscustomobject]@{ Suite = $name; Passed = $counts.Passed; Failed = $counts.Failed; Skipped = $counts.Skipped; Failures = $counts.Failures }
}

function Invoke-InteropSuite {
    $dir = Join-Path $Root 'tests/Interop'
    Write-Host "`n== JavaScript SDK interop"
    # Without Node.js and npm the suite cannot run: it counts as failed, and the other suites still run.
    $missing = @('node', 'npm' | Where-Object { -not (Get-Command $_ -CommandType Application -ErrorAction Ignore) })
    if ($missing) {
        return New-FailedSuite 'Interop' "the interop suite needs Node.js 20 or later and npm; not found: $($missing -join ', ')"
    }
    Push-Location $dir
    try {
        & npm ci --no-audit --no-fund --loglevel=error | Out-Host
        if ($LASTEXITCODE -ne 0) {
            return New-FailedSuite 'Interop' 'npm ci failed in tests/Interop (is the npm registry reachable?)'
        }
        $env:FACETOOLS_EMULATOR_DLL = Get-EmulatorPath -Configuration $Configuration
        $lines = & node --test 2>&1 | ForEach-Object { "$_" }
        $lines | Write-Host
    }
    finally { Pop-Location }
    $pass = ($lines | Select-String '^# pass (\d+)' | Select-Object -Last 1).Matches.Groups[1].Value
    $fail = ($lines | Select-String '^# fail (\d+)' | Select-Object -Last 1).Matches.Groups[1].Value
    $skip = ($lines | Select-String '^# skipped (\d+)' | Select-Object -Last 1).Matches.Groups[1].Value
    if ($null -eq $pass) { return New-FailedSuite 'Interop' 'node --test printed no counts' }
    $failures = @($lines | Where-Object { $_ -match '^\s*not ok ' } | ForEach-Object { $_.Trim() })
    [pscustomobject]@{ Suite = 'Interop'; Passed = [int]$pass; Failed = [int]$fail; Skipped = [int]$skip; Failures = $failures }
}

function Invoke-PesterSuite {
    Write-Host "`n== Pester"
    $pester = Join-Path (Get-NuGetPackagesFolder) 'pester/6.2.0/tools/Pester.psd1'
    if (-not (Test-Path $pester)) { throw "Pester 6.2.0 was not restored: $pester" }
    $summary = Join-Path $OutDir 'TestResults/pester-summary.json'
    $null = New-Item -ItemType Directory -Force (Split-Path $summary)
    # A fresh process, so the tests import the built module and never lock the build's files.
    # The tests run with PowerShell's default preferences, as a user's session has them.
    $script = @"
Import-Module '$pester' -ErrorAction Stop
`$config = New-PesterConfiguration
`$config.Run.Path = '$(Join-Path $Root 'tests/Pester')'
`$config.Run.PassThru = `$true
`$config.Output.Verbosity = 'Normal'
`$result = Invoke-Pester -Configuration `$config
`$failures = @(`$result.Failed + `$result.FailedBlocks + `$result.FailedContainers | ForEach-Object {
        "`$(if (`$_.ExpandedPath) { `$_.ExpandedPath } else { `$_.Name }): `$("`$(`$_.ErrorRecord | Select-Object -First 1)".Trim() -split '\r?\n' | Select-Object -First 1)"
    })
[pscustomobject]@{ Passed = `$result.PassedCount; Failed = `$result.FailedCount + `$result.FailedBlocksCount + `$result.FailedContainersCount; Skipped = `$result.SkippedCount; Failures = `$failures } |
    ConvertTo-Json | Set-Content '$summary'
"@
    $env:FACETOOLS_MODULE_PATH = $ModuleDir
    $env:FACETOOLS_EMULATOR_DLL = Get-EmulatorPath -Configuration $Configuration
    if (Test-Path $summary) { Remove-Item $summary }
    Invoke-FreshPwsh -Command $script | Out-Host
    if (-not (Test-Path $summary)) { return New-FailedSuite 'Pester' 'Pester wrote no summary (it did not start, or did not finish)' }
    $counts = Get-Content -Raw $summary | ConvertFrom-Json
    [pscustomobject]@{ Suite = 'Pester'; Passed = $counts.Passed; Failed = $counts.Failed; Skipped = $counts.Skipped; Failures = @($counts.Failures) }
}

function Invoke-Test {
    Invoke-Build
    Write-Host 'Restoring test dependencies...'
    Invoke-Dotnet restore (Join-Path $Root 'tests/TestDependencies/TestDependencies.csproj') --nologo --verbosity quiet
    Invoke-Dotnet build (Join-Path $Root 'tests/FaceTools.Emulator/FaceTools.Emulator.csproj') -c $Configuration --nologo --verbosity quiet

    $suites = @(
        Get-ChildItem (Join-Path $Root 'tests') -Filter '*.Tests.csproj' -Recurse | Sort-Object FullName | ForEach-Object { Invoke-XunitSuite $_.FullName }
        Invoke-InteropSuite
        Invoke-PesterSuite
    )
    Write-Host ''
    $suites | Format-Table Suite, Passed, Failed, Skipped | Out-String | Write-Host
    $passed = ($suites | Measure-Object Passed -Sum).Sum
    $failed = ($suites | Measure-Object Failed -Sum).Sum
    $skipped = ($suites | Measure-Object Skipped -Sum).Sum
    if ($skipped) { Write-Host "$skipped skipped" }
    # The failed tests by name, next to the count, where a log that keeps only its end still shows them.
    foreach ($suite in $suites) {
        foreach ($failure in $suite.Failures) { Write-Host "FAILED ($($suite.Suite)) $failure" }
    }
    # The last line, always in this form.
    Write-Host "$passed passed, $failed failed"
    if ($failed -gt 0 -or $passed -eq 0) { exit 1 }
}

function Invoke-Demo {
    Invoke-Build
    Invoke-Dotnet build (Join-Path $Root 'tests/FaceTools.Emulator/FaceTools.Emulator.csproj') -c $Configuration --nologo --verbosity quiet
    $emulator = Start-RekEmulator -Configuration $Configuration
    try {
        $collection = 'demo-collection'
        $seed = Invoke-RekEmulator $emulator -Route seed -Body @{
            Generate = @{ CollectionId = $collection; Users = @(@{ UserId = 'alice'; FaceCount = 250 }, @{ UserId = 'bob'; FaceCount = 3 }) }
        }
        $alice = @(($seed.Generated.Users | Where-Object UserId -eq 'alice').FaceIds)
        $bob = @(($seed.Generated.Users | Where-Object UserId -eq 'bob').FaceIds)
        $facesFile = Join-Path $OutDir 'demo/faces.txt'
        $null = New-Item -ItemType Directory -Force (Split-Path $facesFile)
        @($alice) + @($bob) | Set-Content $facesFile
        Write-Host "Seeded collection '$collection': alice has $($alice.Count) faces, bob has $($bob.Count); faces.txt lists all of them.`n"

        $script = @"
Import-Module '$ModuleDir'
`$results = Get-Content '$facesFile' | Remove-RekFaceFromUser -CollectionId $collection -UserId alice -Confirm:`$false
'Get-Content faces.txt | Remove-RekFaceFromUser -CollectionId $collection -UserId alice -Confirm:`$false'
`$results | Select-Object -Last 8 | Format-Table -AutoSize | Out-String -Width 160
`$results | Group-Object Status | Format-Table Count, Name -AutoSize | Out-String
"@
        Invoke-FreshPwsh -Command $script -Environment (Get-RekEmulatorEnvironment $emulator)
    }
    finally {
        Stop-RekEmulator $emulator
    }
}

function Invoke-Bench {
    Invoke-Build
    Invoke-Dotnet build (Join-Path $Root 'tests/FaceTools.Emulator/FaceTools.Emulator.csproj') -c $Configuration --nologo --verbosity quiet
    Push-Location (Join-Path $Root 'tests/Interop')
    try { & npm ci --no-audit --no-fund --loglevel=error; if ($LASTEXITCODE) { throw 'npm ci failed in tests/Interop.' } }
    finally { Pop-Location }
    $env:FACETOOLS_EMULATOR_DLL = Get-EmulatorPath -Configuration $Configuration
    $outFile = if ($Smoke) { Join-Path $OutDir 'benchmarks-smoke.md' } else { Join-Path $Root 'docs/benchmarks.md' }
    $null = & (Join-Path $Root 'tests/Benchmarks/Invoke-Benchmark.ps1') -ModulePath $ModuleDir -OutFile $outFile -Smoke:$Smoke
    Write-Host "`
Written to $([IO.Path]::GetRelativePath($Root, $outFile))"
}

function Invoke-Clean {
    if (Test-Path $OutDir) { Remove-Item $OutDir -Recurse -Force }
    Get-ChildItem $Root -Directory -Recurse -Include bin, obj -ErrorAction SilentlyContinue |
        Where-Object FullName -NotMatch 'node_modules' | Remove-Item -Recurse -Force
}

foreach ($name in $Task) {
    switch ($name) {
        'Build' { Invoke-Build }
        'Test' { Invoke-Test }
        'Demo' { Invoke-Demo }
        'Docs' { Invoke-Docs }
        'Bench' { Invoke-Bench }
        'Clean' { Invoke-Clean }
    }
}
