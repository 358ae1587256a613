<#
.SYNOPSIS
    Measures FaceTools against the emulator: import time, throughput beside the AWS SDK for
    JavaScript, client CPU per request, and memory. Prints a table and writes it as markdown.
.DESCRIPTION
    Every number comes from this one run on this machine, so ratios compare like with like.
    -Smoke runs tiny sizes so the script cannot rot; its numbers mean nothing.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [string] $OutFile,
    [switch] $Smoke
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
# The clients run in other processes, with other working folders.
$ModulePath = (Resolve-Path -LiteralPath $ModulePath).Path
Import-Module (Join-Path $PSScriptRoot '../FaceToolsTestHelpers.psm1') -Force

$size = if ($Smoke) {
    @{ Users = 4; Imports = 2; LatencyMs = 5; Memory = 2000, 8000; Throttles = 1, 4; ThroughputPasses = 2; CpuPasses = 2; SettleMs = 100 }
} else {
    @{ Users = 200; Imports = 10; LatencyMs = 30; Memory = 100000, 1000000; Throttles = 1, 4, 16; ThroughputPasses = 6; CpuPasses = 24; SettleMs = 1000 }
}
$collection = 'bench'
$work = Join-Path ([IO.Path]::GetTempPath()) "facetools-bench-$PID"
$null = New-Item -ItemType Directory -Force $work
$rows = [Collections.Generic.List[object]]::new()

function Add-Row([string] $Measure, [string] $Value, [string] $Target = '', [string] $Verdict = '') {
    $rows.Add([pscustomobject]@{ Measure = $Measure; Value = $Value; Target = $Target; Met = $Verdict })
    Write-Host ("{0,-62} {1,-28} {2}" -f $Measure, $Value, $Target)
}

function Get-Median([double[]] $Values) {
    $sorted = @($Values | Sort-Object)
    $middle = [int][Math]::Floor($sorted.Count / 2)
    if ($sorted.Count % 2) { $sorted[$middle] } else { ($sorted[$middle - 1] + $sorted[$middle]) / 2 }
}

# Time of a fresh 'pwsh -NoProfile' running one command, in milliseconds.
function Measure-Pwsh([string] $Command, [hashtable] $Environment = @{}) {
    $sw = [Diagnostics.Stopwatch]::StartNew()
    $null = Invoke-FreshPwsh -Command $Command -Environment $Environment -PassThru
    $sw.Elapsed.TotalMilliseconds
}

# Seeds users of 100 faces each (plus a warm-up user) and writes, for the clients the bench starts,
# the seed and the control calls that put the emulator back in this state between passes.
# A reset restores the emulator's start-up latency, so the latency wanted is set again after it.
function Reset-Seed($Emulator, [int] $Users, [int] $LatencyMs = $size.LatencyMs) {
    $generate = @{ CollectionId = $collection; Users = @(@{ UserId = 'warmup'; FaceCount = 1 }) + @(1..$Users | ForEach-Object { @{ UserId = "user$_"; FaceCount = 100 } }) }
    $steps = @(
        @{ Route = 'reset'; Body = @{} }
        @{ Route = 'config'; Body = @{ LatencyMs = $LatencyMs } }
        @{ Route = 'seed'; Body = @{ Generate = $generate } }
    )
    $steps | ConvertTo-Json -Depth 10 -Compress | Set-Content (Join-Path $work 'reseed.json')
    foreach ($step in $steps) { $answer = Invoke-RekEmulator $Emulator -Route $step.Route -Body $step.Body }
    $seed = [pscustomobject]@{
        CollectionId = $collection
        WarmUp = $answer.Generated.Users | Where-Object UserId -eq 'warmup'
        Users = @($answer.Generated.Users | Where-Object UserId -ne 'warmup')
    }
    $seed | ConvertTo-Json -Depth 5 -Compress | Set-Content (Join-Path $work 'seed.json')
    $seed
}

# Runs one workload -Passes times in a fresh pwsh, the emulator re-seeded before each pass (untimed),
# and returns one row per pass: wall and CPU time, results, and the requests the emulator logged.
#   Objects: every seeded face piped as an object into Remove-RekFaceFromUser.
#   Arrays:  each user's IDs as one -FaceId argument (no per-object binding).
#   Engine:  the engine's DisassociateFaces called from a loop: no cmdlet, no binding, no output objects.
#   Binding: the objects piped into an empty compiled cmdlet with one pipeline parameter, -InputObject, as
#            FaceTools takes them; no requests: PowerShell's own cost of binding them.
#   BindingByName: the same into three parameters bound by property name (-CollectionId, -UserId, -FaceId),
#            the usual contract, which FaceTools does not use because of this cost.
# The first pass runs cold (code still being compiled); later ones show the steady state a long
# runbook reaches.
function Measure-Workload($Emulator, [ValidateSet('Objects', 'Arrays', 'Engine', 'Binding', 'BindingByName')] [string] $Kind, [int] $ThrottleLimit, [int] $Passes = 1, [hashtable] $Environment = @{}, [string] $PowerShellHome = $PSHOME) {
    $settleMs = $size.SettleMs
    $timed = switch ($Kind) {
        'Objects' { "`$objects | Remove-RekFaceFromUser -ThrottleLimit $ThrottleLimit -Force" }
        'Arrays' { "foreach (`$user in `$seed.Users) { Remove-RekFaceFromUser -CollectionId `$seed.CollectionId -UserId `$user.UserId -FaceId `$user.FaceIds -ThrottleLimit $ThrottleLimit -Force }" }
        'Engine' { "foreach (`$user in `$seed.Users) { `$api.DisassociateFacesAsync(`$seed.CollectionId, `$user.UserId, [string[]] `$user.FaceIds, [guid]::NewGuid().ToString(), [Threading.CancellationToken]::None).GetAwaiter().GetResult() }" }
        'Binding' { "`$objects | Test-FaceToolsBinding" }
        'BindingByName' { "`$objects | Test-FaceToolsBindingByName" }
    }
    $script = @"
`$ProgressPreference = 'SilentlyContinue'
`$ErrorActionPreference = 'Stop'
if (`$PSStyle) { `$PSStyle.OutputRendering = 'PlainText' }
Import-Module '$(Join-Path $PSScriptRoot '../FaceToolsTestHelpers.psm1')'
`$emulator = [pscustomobject]@{ Url = '$($Emulator.Url)' }
$(if ($Kind -eq 'Engine') { "`$env:FACETOOLS_DISABLE_ISOLATION = '1'" })
Import-Module '$ModulePath'
$(if ($Kind -like 'Binding*') { @'
Add-Type -TypeDefinition @"
using System.Management.Automation;
[Cmdlet("Test", "FaceToolsBinding")]
public sealed class TestFaceToolsBindingCommand : PSCmdlet
{
    [Parameter(Mandatory = true, ValueFromPipeline = true)] [AllowNull] public PSObject InputObject { get; set; }
    protected override void ProcessRecord() { WriteObject(InputObject); }
}
[Cmdlet("Test", "FaceToolsBindingByName")]
public sealed class TestFaceToolsBindingByNameCommand : PSCmdlet
{
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)] public string CollectionId { get; set; }
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)] public string UserId { get; set; }
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)] public string[] FaceId { get; set; }
    protected override void ProcessRecord() { WriteObject(FaceId[0]); }
}
"@ -PassThru | Select-Object -First 1 | ForEach-Object { Import-Module $_.Assembly }
'@ })
`$seed = Get-Content '$(Join-Path $work 'seed.json')' | ConvertFrom-Json
`$reseed = Get-Content '$(Join-Path $work 'reseed.json')' | ConvertFrom-Json
`$null = Remove-RekFaceFromUser -CollectionId `$seed.CollectionId -UserId warmup -FaceId `$seed.WarmUp.FaceIds -Force -ThrottleLimit $ThrottleLimit
$(if ($Kind -eq 'Engine') { "`$api = [FaceTools.Engine.Client.RekognitionClients]::Get([FaceTools.Engine.Client.ConnectionSettings]@{ MaxConcurrency = 1 })" })
`$objects = foreach (`$user in `$seed.Users) { foreach (`$face in `$user.FaceIds) { [pscustomobject]@{ CollectionId = `$seed.CollectionId; UserId = `$user.UserId; FaceId = `$face } } }
`$process = [Diagnostics.Process]::GetCurrentProcess()
foreach (`$pass in 1..$Passes) {
    if (`$pass -gt 1) {
        foreach (`$step in `$reseed) { `$null = Invoke-RekEmulator `$emulator -Route `$step.Route -Body `$step.Body }
        # .NET re-compiles hot code in the background: let the work queued so far finish outside the timing.
        Start-Sleep -Milliseconds $settleMs
    }
    `$process.Refresh()
    `$cpu = `$process.TotalProcessorTime
    `$collections = [GC]::CollectionCount(0)
    `$sw = [Diagnostics.Stopwatch]::StartNew()
    # The results are collected as a runbook would (`$results = ...); counting them with Measure-Object
    # would time that cmdlet's own per-object cost too.
    `$results = & { $timed }
    `$sw.Stop(); `$process.Refresh()
    `$collections = [GC]::CollectionCount(0) - `$collections
    `$requests = @((Invoke-RekEmulator `$emulator -Route log).Requests | Where-Object { `$_.Operation -eq 'DisassociateFaces' -and `$_.UserId -ne 'warmup' }).Count
    [pscustomobject]@{ Pass = `$pass; WallMs = `$sw.Elapsed.TotalMilliseconds; CpuMs = (`$process.TotalProcessorTime - `$cpu).TotalMilliseconds; Results = @(`$results).Count; Requests = `$requests; Collections = `$collections } | ConvertTo-Json -Compress
}
"@
    $processEnvironment = Get-RekEmulatorEnvironment $Emulator
    foreach ($name in $Environment.Keys) { $processEnvironment[$name] = $Environment[$name] }
    $output = @(Invoke-FreshPwsh -Command $script -Environment $processEnvironment -PassThru -PowerShellHome $PowerShellHome)
    $runs = @($output | Where-Object { $_ -like '{*' } | ForEach-Object { $_ | ConvertFrom-Json })
    # A workload that fails or returns the wrong count measures something else: stop rather than print it.
    $expected = if ($Kind -eq 'Engine') { $size.Users } else { $size.Users * 100 }
    if ($runs.Count -ne $Passes -or @($runs | Where-Object Results -ne $expected).Count) {
        throw "The $Kind workload did not return $expected results in each of $Passes passes. Its output:`n$($output -join "`n")"
    }
    $runs
}

# Add-RekFaceToCollection over a folder of $Count small images (one IndexFaces request each), -Passes times in
# a fresh pwsh, and one row per pass: wall time, faces written and IndexFaces requests logged. The emulator gives
# the same face for the same bytes, so the passes need no re-seeding.
function Measure-Indexing($Emulator, [string] $Folder, [int] $Count, [int] $ThrottleLimit, [int] $Passes) {
    $script = @"
`$ProgressPreference = 'SilentlyContinue'
`$ErrorActionPreference = 'Stop'
Import-Module '$(Join-Path $PSScriptRoot '../FaceToolsTestHelpers.psm1')'
`$emulator = [pscustomobject]@{ Url = '$($Emulator.Url)' }
Import-Module '$ModulePath'
`$null = Add-RekFaceToCollection -CollectionId $collection -LiteralPath '$(Join-Path $Folder 'image1.png')'
foreach (`$pass in 1..$Passes) {
    Start-Sleep -Milliseconds $($size.SettleMs)
    `$before = @((Invoke-RekEmulator `$emulator -Route log).Requests | Where-Object Operation -eq 'IndexFaces').Count
    `$sw = [Diagnostics.Stopwatch]::StartNew()
    `$results = Add-RekFaceToCollection -CollectionId $collection -Path '$(Join-Path $Folder '*.png')' -ThrottleLimit $ThrottleLimit
    `$sw.Stop()
    `$requests = @((Invoke-RekEmulator `$emulator -Route log).Requests | Where-Object Operation -eq 'IndexFaces').Count - `$before
    [pscustomobject]@{ Pass = `$pass; WallMs = `$sw.Elapsed.TotalMilliseconds; Results = @(`$results).Count; Requests = `$requests } | ConvertTo-Json -Compress
}
"@
    $output = @(Invoke-FreshPwsh -Command $script -Environment (Get-RekEmulatorEnvironment $Emulator) -PassThru)
    $runs = @($output | Where-Object { $_ -like '{*' } | ForEach-Object { $_ | ConvertFrom-Json })
    if ($runs.Count -ne $Passes -or @($runs | Where-Object { $_.Results -ne $Count -or $_.Requests -ne $Count }).Count) {
        throw "The indexing workload did not index $Count images with $Count requests in each of $Passes passes. Its output:`n$($output -join "`n")"
    }
    $runs
}

# The same requests from the official AWS SDK for JavaScript v3, -Passes times in one node process.
function Measure-JsSdk($Emulator, [int] $Concurrency, [int] $Passes = 1) {
    $lines = Invoke-WithEnvironment (Get-RekEmulatorEnvironment $Emulator) {
        & node (Join-Path $PSScriptRoot 'js-sdk-bench.mjs') $Emulator.Url (Join-Path $work 'seed.json') $Concurrency $Passes (Join-Path $work 'reseed.json') $size.SettleMs 2>&1 | Where-Object { "$_" -like '{*' }
    }
    if (-not $lines) { throw 'The JavaScript benchmark printed no result (did build.ps1 Test or Bench install tests/Interop?).' }
    $lines | ForEach-Object { "$_" | ConvertFrom-Json }
}

# The passes after the first half: the steady state.
function Get-LaterHalf($Passes) {
    @($Passes | Select-Object -Skip ([Math]::Floor(@($Passes).Count / 2)))
}

# The steady state's median.
function Get-Warm($Passes, [string] $Property) {
    Get-Median @(Get-LaterHalf $Passes | ForEach-Object { $_.$Property })
}

# Cold is the first pass in a fresh process; warm the steady state.
function Get-ColdWarm($Passes, [string] $Property) {
    @{ cold = @($Passes)[0].$Property; warm = Get-Warm $Passes $Property }
}

function Format-Ms([double] $Ms) { '{0:N0} ms' -f $Ms }

$memoryGiB = [double]((Get-Content /proc/meminfo -ErrorAction SilentlyContinue | Select-Object -First 1) -replace '\D', '') / 1MB
# Whether PowerShell's own assemblies come precompiled (ReadyToRun, as in its installers) or as IL
# only (as in the dotnet tool), which JIT-compiles much of PowerShell at start: cold rows depend on it.
$precompiled = Test-Precompiled ([PSObject].Assembly.Location)

# A copy of this PowerShell with every assembly compiled ahead of time, as its installers ship it.
function New-PrecompiledPowerShell {
    $copy = Join-Path $work 'pwsh-precompiled'
    $compiled = Join-Path $work 'pwsh-compiled'
    Copy-Item -Recurse -LiteralPath $PSHOME $copy
    $project = Join-Path $PSScriptRoot 'PrecompiledPowerShell/PrecompiledPowerShell.csproj'
    & dotnet publish $project -c Release -r ([Runtime.InteropServices.RuntimeInformation]::RuntimeIdentifier) `
        "-p:TargetFramework=net$([Environment]::Version.Major).0" "-p:PowerShellHome=$PSHOME" `
        -o $compiled --artifacts-path (Join-Path $work 'artifacts') --nologo --verbosity quiet | Out-Host
    if ($LASTEXITCODE) { throw 'Compiling PowerShell ahead of time failed.' }
    foreach ($assembly in Get-ChildItem -LiteralPath $compiled -Filter *.dll) {
        $target = Join-Path $copy $assembly.Name
        if (Test-Path -LiteralPath $target) { Copy-Item -LiteralPath $assembly.FullName $target -Force }
    }
    if (-not (Test-Precompiled (Join-Path $copy 'System.Management.Automation.dll'))) { throw "The copy of PowerShell in $copy is not precompiled." }
    $copy
}
$machine = "{0} cores, {1:N0} GiB, {2}, .NET {3}, PowerShell {4} ({5})" -f [Environment]::ProcessorCount, $memoryGiB,
    [Runtime.InteropServices.RuntimeInformation]::OSDescription, [Environment]::Version, $PSVersionTable.PSVersion,
    $(if ($precompiled) { 'precompiled' } else { 'IL only: compiled as it runs' })
$cpuModel = (Get-Content /proc/cpuinfo -ErrorAction SilentlyContinue | Select-String '^model name' | Select-Object -First 1) -replace '^.*:\s*', ''
Write-Host "FaceTools benchmark$(if ($Smoke) { ' (smoke sizes: the numbers mean nothing)' }) on $machine $cpuModel`n"

# 1. Import time.
# Interleaved, in an order that rotates, so that noise on the machine (and the cost of following
# another process's start) falls on the three kinds alike.
$bare = [Collections.Generic.List[double]]::new(); $isolated = [Collections.Generic.List[double]]::new(); $flat = [Collections.Generic.List[double]]::new()
$importRuns = @(
    { $bare.Add((Measure-Pwsh 'exit')) }
    { $isolated.Add((Measure-Pwsh "Import-Module '$ModulePath'")) }
    { $flat.Add((Measure-Pwsh "Import-Module '$ModulePath'" @{ FACETOOLS_DISABLE_ISOLATION = '1' })) }
)
foreach ($i in 0..($size.Imports - 1)) {
    foreach ($k in 0..2) { & $importRuns[($i + $k) % 3] }
}
$importIsolated = (Get-Median $isolated) - (Get-Median $bare)
$importFlat = (Get-Median $flat) - (Get-Median $bare)
Add-Row "Import time added to a bare pwsh (median of $($size.Imports))" (Format-Ms $importIsolated) '< 300 ms' ($importIsolated -lt 300)
# For scale only: the load context is created when a cmdlet first needs the engine, so an import does
# the same work with or without it, and the two medians differ by the machine's noise.
Add-Row 'Import time without load-context isolation (for scale)' (Format-Ms $importFlat)

$emulator = Start-RekEmulator -LatencyMs $size.LatencyMs
try {
    # 2 and 3. Throughput at the simulated latency, beside the JavaScript SDK: each client runs the
    # work several times in one process. The first pass is cold (its code still being compiled); warm
    # is the median of the later half, once .NET has compiled the hot code for good (the second pass
    # is not there yet: it still allocates about half as much again as the steady state).
    $faces = $size.Users * 100
    $passes = $size.ThroughputPasses
    $ours = @{}
    foreach ($throttle in $size.Throttles) {
        $null = Reset-Seed $emulator $size.Users
        $runs = @(Measure-Workload $emulator Objects $throttle -Passes $passes)
        $ours[$throttle] = Get-ColdWarm $runs WallMs
        $complete = @($runs | Where-Object { $_.Requests -eq $size.Users -and $_.Results -eq $faces }).Count -eq $passes
        foreach ($state in 'cold', 'warm') {
            $ms = $ours[$throttle][$state]
            Add-Row "FaceTools, $faces faces / $($size.Users) users, -ThrottleLimit $throttle, $($size.LatencyMs) ms latency, $state" ("{0}, {1:N0} faces/s, {2} requests" -f (Format-Ms $ms), ($faces / $ms * 1000), $runs[0].Requests) "requests = $($size.Users)" $complete
        }
    }
    $top = $size.Throttles | Select-Object -Last 1
    $js = @{}
    foreach ($concurrency in 1, $top) {
        $null = Reset-Seed $emulator $size.Users
        $runs = @(Measure-JsSdk $emulator $concurrency -Passes $passes)
        $js[$concurrency] = Get-ColdWarm $runs wallMs
        foreach ($state in 'cold', 'warm') {
            Add-Row "AWS SDK for JavaScript v3, $($size.Users) requests, $concurrency in flight, $state" ("{0}, {1} requests" -f (Format-Ms $js[$concurrency][$state]), $runs[0].requests)
        }
    }
    foreach ($state in 'cold', 'warm') {
        $speedup = $ours[1][$state] / $ours[$top][$state]
        Add-Row "Speed-up of -ThrottleLimit $top over 1, $state" ('{0:N1}x' -f $speedup) '>= 10x' ($speedup -ge 10)
        $ratioTop = $ours[$top][$state] / $js[$top][$state]
        Add-Row "FaceTools / JS SDK time, $top in flight, $state" ('{0:N2}' -f $ratioTop) '<= 1.25' ($ratioTop -le 1.25)
        $ratioOne = $ours[1][$state] / $js[1][$state]
        Add-Row "FaceTools / JS SDK time, sequential, $state" ('{0:N2}' -f $ratioOne) '<= 1.25' ($ratioOne -le 1.25)
    }

    # For scale: images indexed by Add-RekFaceToCollection at the same latency, one request per image, as many
    # images as the throughput rows have users (so as many requests).
    $imageFolder = Join-Path $work 'images'
    $null = New-Item -ItemType Directory -Force $imageFolder
    foreach ($i in 1..$size.Users) {
        [IO.File]::WriteAllBytes((Join-Path $imageFolder "image$i.png"), [byte[]](0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A) + [Text.Encoding]::ASCII.GetBytes("image $i"))
    }
    $indexing = @{}
    foreach ($throttle in 1, $top) {
        $null = Reset-Seed $emulator 1
        $indexing[$throttle] = Get-Warm @(Measure-Indexing $emulator $imageFolder $size.Users $throttle -Passes $passes) WallMs
        Add-Row "Add-RekFaceToCollection, $($size.Users) images, -ThrottleLimit $throttle, $($size.LatencyMs) ms latency, warm (for scale)" ("{0}, {1:N0} images/s" -f (Format-Ms $indexing[$throttle]), ($size.Users / $indexing[$throttle] * 1000))
    }
    Add-Row "Speed-up of Add-RekFaceToCollection -ThrottleLimit $top over 1, warm (for scale)" ('{0:N1}x' -f ($indexing[1] / $indexing[$top]))

    # For scale: the cold passes again with .NET's profile-guided recompilation off. On a small machine
    # about half of a first pass's CPU goes to .NET recompiling hot framework and PowerShell code, first
    # with instrumentation; DOTNET_TieredPGO=0 (set by whatever starts pwsh: .NET reads it at start) skips that.
    $noPgo = @{}
    foreach ($throttle in 1, $top) {
        $null = Reset-Seed $emulator $size.Users
        $run = @(Measure-Workload $emulator Objects $throttle -Passes 1 -Environment @{ DOTNET_TieredPGO = '0' })[0]
        $noPgo[$throttle] = $run.WallMs
        Add-Row "Cold pass with DOTNET_TieredPGO=0, -ThrottleLimit $throttle (for scale)" ("{0}, {1:N0} ms CPU, {2} requests" -f (Format-Ms $run.WallMs), $run.CpuMs, $run.Requests)
    }
    Add-Row "Speed-up of -ThrottleLimit $top over 1, cold, DOTNET_TieredPGO=0 (for scale)" ('{0:N1}x' -f ($noPgo[1] / $noPgo[$top]))
    Add-Row "FaceTools with DOTNET_TieredPGO=0 / JS SDK time, $top in flight, cold (for scale)" ('{0:N2}' -f ($noPgo[$top] / $js[$top].cold))

    # The cold passes again in this PowerShell compiled ahead of time, as its installers ship it (the
    # dotnet tool's PowerShell is IL only): a first run then compiles little besides FaceTools.
    if (-not $precompiled) {
        $precompiledHome = New-PrecompiledPowerShell
        $installed = @{}
        foreach ($throttle in 1, $top) {
            $null = Reset-Seed $emulator $size.Users
            $run = @(Measure-Workload $emulator Objects $throttle -Passes 1 -PowerShellHome $precompiledHome)[0]
            $installed[$throttle] = $run.WallMs
            Add-Row "Cold pass in PowerShell precompiled as installed, -ThrottleLimit $throttle" ("{0}, {1:N0} ms CPU, {2} requests" -f (Format-Ms $run.WallMs), $run.CpuMs, $run.Requests) "requests = $($size.Users)" ($run.Requests -eq $size.Users)
        }
        $speedup = $installed[1] / $installed[$top]
        Add-Row "Speed-up of -ThrottleLimit $top over 1, cold, PowerShell precompiled" ('{0:N1}x' -f $speedup) '>= 10x' ($speedup -ge 10)
        $ratioTop = $installed[$top] / $js[$top].cold
        Add-Row "FaceTools in precompiled PowerShell / JS SDK time, $top in flight, cold" ('{0:N2}' -f $ratioTop) '<= 1.25' ($ratioTop -le 1.25)
        $ratioOne = $installed[1] / $js[1].cold
        Add-Row "FaceTools in precompiled PowerShell / JS SDK time, sequential, cold" ('{0:N2}' -f $ratioOne) '<= 1.25' ($ratioOne -le 1.25)
    }

    # 4. Client CPU with no simulated latency, cold (first pass) and warm (median of the later passes):
    # piped objects at every throttle limit of the throughput rows; the rest at the default, 4.
    $default = 4
    $objectsRow = 'Client CPU per request of 100 faces piped as objects'
    $cpuWorkloads = [ordered]@{
        Objects = "$objectsRow, -ThrottleLimit $default (the default)"
        Arrays = 'Client CPU per request, each user''s IDs as one -FaceId array'
        Engine = 'Engine alone (no binding, no output objects): CPU per request'
    }
    $cpu = @{}
    foreach ($kind in $cpuWorkloads.Keys) {
        $null = Reset-Seed $emulator $size.Users -LatencyMs 0
        $cpu[$kind] = @(Measure-Workload $emulator $kind $default -Passes $size.CpuPasses)
        $cold = $cpu[$kind][0].CpuMs / [Math]::Max($cpu[$kind][0].Requests, 1)
        $warm = (Get-Warm $cpu[$kind] CpuMs) / $size.Users
        Add-Row "$($cpuWorkloads[$kind]), no latency, cold" ('{0:N2} ms' -f $cold) '< 1 ms' ($cold -lt 1)
        Add-Row "$($cpuWorkloads[$kind]), no latency, warm" ('{0:N2} ms' -f $warm) '< 1 ms' ($warm -lt 1)
        if ($kind -eq 'Objects') {
            Add-Row 'Client CPU per face piped as an object, no latency, cold' ('{0:N1} us' -f ($cpu[$kind][0].CpuMs * 1000 / $faces))
            Add-Row 'Client CPU per face piped as an object, no latency, warm' ('{0:N1} us' -f ($warm * $size.Users * 1000 / $faces))
            # Most passes include a garbage collection, of the binding's garbage and of the results kept: the
            # passes without one show the rest of the cost.
            $later = Get-LaterHalf $cpu[$kind]
            $quiet = @($later | Where-Object Collections -eq 0)
            Add-Row "$objectsRow, -ThrottleLimit $default, no latency, warm passes without garbage collection (for scale)" $(
                if ($quiet) { '{0:N2} ms ({1} of {2} passes)' -f ((Get-Median @($quiet.CpuMs)) / $size.Users), $quiet.Count, $later.Count }
                else { "none of $($later.Count) passes" })
            # The same at the throughput rows' other throttle limits: fewer requests in flight, more waiting.
            foreach ($throttle in $size.Throttles | Where-Object { $_ -ne $default }) {
                $null = Reset-Seed $emulator $size.Users -LatencyMs 0
                $runs = @(Measure-Workload $emulator Objects $throttle -Passes $size.CpuPasses)
                $warmAt = (Get-Warm $runs CpuMs) / $size.Users
                Add-Row "$objectsRow, -ThrottleLimit $throttle, no latency, warm" ('{0:N2} ms' -f $warmAt) '< 1 ms' ($warmAt -lt 1)
            }
        }
    }
    $bindings = [ordered]@{
        Binding = 'PowerShell alone: binding 100 objects to -InputObject of an empty compiled cmdlet, as FaceTools takes them'
        BindingByName = 'PowerShell alone: binding 100 objects by property name to three parameters instead'
    }
    foreach ($kind in $bindings.Keys) {
        $binding = @(Measure-Workload $emulator $kind $default -Passes $size.CpuPasses)
        Add-Row "$($bindings[$kind]), cold (for scale)" ('{0:N2} ms' -f ($binding[0].CpuMs / $size.Users))
        Add-Row "$($bindings[$kind]), warm (for scale)" ('{0:N2} ms' -f ((Get-Warm $binding CpuMs) / $size.Users))
    }
    $null = Reset-Seed $emulator $size.Users -LatencyMs 0
    $jsZero = @(Measure-JsSdk $emulator $default -Passes $size.CpuPasses)
    $jsCpu = (Get-Warm $jsZero cpuMs) / $size.Users
    Add-Row "JS SDK CPU per request, no latency, $default in flight, warm (for scale)" ('{0:N2} ms' -f $jsCpu)
    # The machine's speed moves both alike, so their ratio is steadier than either figure.
    Add-Row "FaceTools (objects piped, -ThrottleLimit $default) / JS SDK client CPU per request, no latency, warm (for scale)" ('{0:N2}' -f ((Get-Warm $cpu.Objects CpuMs) / $size.Users / $jsCpu))

    # 5. Memory: face ids streamed from a generator, mostly FACE_NOT_FOUND.
    $peaks = @{}
    foreach ($count in $size.Memory) {
        $null = Invoke-RekEmulator $emulator -Route reset
        $null = Invoke-RekEmulator $emulator -Route config -Body @{ LatencyMs = 0 }
        $null = Invoke-RekEmulator $emulator -Route seed -Body @{ Collections = @(@{ CollectionId = $collection; Users = @(@{ UserId = 'memory' }) }) }
        $script = @"
`$ProgressPreference = 'SilentlyContinue'
Import-Module '$ModulePath'
`$n = 0
& { foreach (`$i in 1..$count) { '{0:x8}-0000-4000-8000-{1:x12}' -f (`$i -shr 16), `$i } } | Remove-RekFaceFromUser -CollectionId $collection -UserId memory -Force | ForEach-Object { `$n++ }
[pscustomobject]@{ Results = `$n; PeakWorkingSet = [Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64 } | ConvertTo-Json -Compress
"@
        $line = Invoke-FreshPwsh -Command $script -Environment (Get-RekEmulatorEnvironment $emulator) -PassThru | Where-Object { $_ -like '{*' } | Select-Object -Last 1
        $peaks[$count] = $line | ConvertFrom-Json
        Add-Row ("Peak working set, {0:N0} face ids streamed" -f $count) ('{0:N0} MiB ({1:N0} results)' -f ($peaks[$count].PeakWorkingSet / 1MB), $peaks[$count].Results)
    }
    $small, $large = $size.Memory
    $memoryRatio = $peaks[$large].PeakWorkingSet / $peaks[$small].PeakWorkingSet
    Add-Row "Peak for $large / peak for $small" ('{0:N2}' -f $memoryRatio) '<= 1.2' ($memoryRatio -le 1.2)
}
finally {
    Stop-RekEmulator $emulator
    Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue
}

if ($OutFile) {
    $lines = @(
        '# FaceTools benchmarks'
        ''
        "Measured $(Get-Date -Format 'yyyy-MM-dd') by ``build.ps1 Bench`` against the loopback emulator$(if ($Smoke) { ' (smoke sizes)' })."
        "Machine: $machine; $cpuModel."
        'All numbers come from one run, side by side; the machine is shared and noisy, so compare ratios, not absolutes.'
        ''
        "Cold: the first pass of the work in a fresh process (.NET still compiling the code it runs). Warm: the median of the later half of the passes in the same process ($($size.ThroughputPasses) for throughput, $($size.CpuPasses) for CPU), each after the emulator is seeded again and background compilation has settled."
        ''
        'Client CPU is measured for piped objects at each throttle limit of the throughput rows, and for the other workloads at the default, 4. The engine-alone and PowerShell-alone rows show where client CPU goes: the first is the requests without any PowerShell binding or output, the second the binding without any requests, as FaceTools takes piped objects (one -InputObject parameter, whose objects'' properties the cmdlets read) and, for comparison, by property name to three parameters. Most piped-object passes include a garbage collection (of the binding''s garbage and of the 20,000 results the pass keeps); the for-scale row without one shows the rest of their cost. The DOTNET_TieredPGO=0 rows repeat the cold passes with .NET''s profile-guided recompilation off, a setting for whatever starts pwsh. Unless the PowerShell measured is precompiled already, the precompiled rows repeat them in a copy of it compiled ahead of time (ReadyToRun), as PowerShell''s installers ship it; the dotnet tool''s PowerShell is IL only. The Add-RekFaceToCollection rows index a folder of as many small images as the throughput rows have users, one IndexFaces request each, at the same latency.'
        ''
        '| Measure | Value | Target | Met |'
        '|---|---|---|---|'
        $rows | ForEach-Object { "| $($_.Measure) | $($_.Value) | $($_.Target) | $(if ($_.Met -eq '') { '' } elseif ($_.Met -eq 'True') { 'yes' } else { 'no' }) |" }
    )
    $lines | Set-Content $OutFile
}
$rows
