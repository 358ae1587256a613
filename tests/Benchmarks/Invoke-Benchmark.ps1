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
Import-Module (Join-Path $PSScriptRoot '../FaceToolsTestHelpers.psm1') -Force

$size = if ($Smoke) {
    @{ Users = 4; Imports = 2; LatencyMs = 5; Memory = 2000, 8000; Throttles = 1, 4 }
} else {
    @{ Users = 200; Imports = 10; LatencyMs = 30; Memory = 100000, 1000000; Throttles = 1, 4, 16 }
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
    $sorted = $Values | Sort-Object
    $middle = [int][Math]::Floor($sorted.Count / 2)
    if ($sorted.Count % 2) { $sorted[$middle] } else { ($sorted[$middle - 1] + $sorted[$middle]) / 2 }
}

# Time of a fresh 'pwsh -NoProfile' running one command, in milliseconds.
function Measure-Pwsh([string] $Command, [hashtable] $Environment = @{}) {
    $sw = [Diagnostics.Stopwatch]::StartNew()
    $null = Invoke-FreshPwsh -Command $Command -Environment $Environment -PassThru
    $sw.Elapsed.TotalMilliseconds
}

# Seeds users of 100 faces each (plus a warm-up user) and writes the seed for the JavaScript side.
# A reset restores the emulator's start-up latency, so the latency wanted is set again after it.
function Reset-Seed($Emulator, [int] $Users, [int] $LatencyMs = $size.LatencyMs) {
    $null = Invoke-RekEmulator $Emulator -Route reset
    $null = Invoke-RekEmulator $Emulator -Route config -Body @{ LatencyMs = $LatencyMs }
    $generate = @{ CollectionId = $collection; Users = @(@{ UserId = 'warmup'; FaceCount = 1 }) + @(1..$Users | ForEach-Object { @{ UserId = "user$_"; FaceCount = 100 } }) }
    $answer = Invoke-RekEmulator $Emulator -Route seed -Body @{ Generate = $generate }
    $seed = [pscustomobject]@{
        CollectionId = $collection
        WarmUp = $answer.Generated.Users | Where-Object UserId -eq 'warmup'
        Users = @($answer.Generated.Users | Where-Object UserId -ne 'warmup')
    }
    $seed | ConvertTo-Json -Depth 5 -Compress | Set-Content (Join-Path $work 'seed.json')
    $seed
}

# Pipes every seeded face as an object into Remove-RekFaceFromUser in a fresh process; with
# -AsArrays, passes each user's IDs as one -FaceId argument instead (no per-object binding).
# -Steady runs the work twice and measures the second pass, after .NET's background re-compilation
# of hot code has settled (otherwise a short run's CPU time is mostly that one-time cost).
function Measure-FaceTools($Emulator, [int] $ThrottleLimit, [switch] $AsArrays, [switch] $Steady) {
    $timed = if ($AsArrays) {
        "foreach (`$user in `$seed.Users) { Remove-RekFaceFromUser -CollectionId `$seed.CollectionId -UserId `$user.UserId -FaceId `$user.FaceIds -Force }"
    } else {
        "`$objects | Remove-RekFaceFromUser -ThrottleLimit $ThrottleLimit -Force"
    }
    $script = @"
`$ProgressPreference = 'SilentlyContinue'
Import-Module '$ModulePath'
`$seed = Get-Content '$(Join-Path $work 'seed.json')' | ConvertFrom-Json
`$null = Remove-RekFaceFromUser -CollectionId `$seed.CollectionId -UserId warmup -FaceId `$seed.WarmUp.FaceIds -Force -ThrottleLimit $ThrottleLimit
`$objects = foreach (`$user in `$seed.Users) { foreach (`$face in `$user.FaceIds) { [pscustomobject]@{ CollectionId = `$seed.CollectionId; UserId = `$user.UserId; FaceId = `$face } } }
if (`$$($Steady.IsPresent)) { `$null = & { $timed }; Start-Sleep -Seconds 2 }
`$process = [Diagnostics.Process]::GetCurrentProcess()
`$cpu = `$process.TotalProcessorTime
`$sw = [Diagnostics.Stopwatch]::StartNew()
# The results are collected as a runbook would (`$results = ...`); counting them with Measure-Object
# would time that cmdlet's own per-object cost too.
`$results = & { $timed }
`$count = `$results.Count
`$sw.Stop(); `$process.Refresh()
[pscustomobject]@{ WallMs = `$sw.Elapsed.TotalMilliseconds; CpuMs = (`$process.TotalProcessorTime - `$cpu).TotalMilliseconds; Results = `$count } | ConvertTo-Json -Compress
"@
    $line = Invoke-FreshPwsh -Command $script -Environment (Get-RekEmulatorEnvironment $Emulator) -PassThru | Where-Object { $_ -like '{*' } | Select-Object -Last 1
    $result = $line | ConvertFrom-Json
    $requests = @((Invoke-RekEmulator $Emulator -Route log).Requests | Where-Object { $_.Operation -eq 'DisassociateFaces' -and $_.UserId -ne 'warmup' }).Count
    if ($Steady) { $requests /= 2 }
    $result | Add-Member Requests $requests -PassThru
}

function Measure-JsSdk($Emulator, [int] $Concurrency) {
    $environment = Get-RekEmulatorEnvironment $Emulator
    $saved = @{}; foreach ($k in $environment.Keys) { $saved[$k] = [Environment]::GetEnvironmentVariable($k); [Environment]::SetEnvironmentVariable($k, $environment[$k]) }
    try {
        $line = & node (Join-Path $PSScriptRoot 'js-sdk-bench.mjs') $Emulator.Url (Join-Path $work 'seed.json') $Concurrency 2>&1 | Where-Object { "$_" -like '{*' } | Select-Object -Last 1
    }
    finally { foreach ($k in $saved.Keys) { [Environment]::SetEnvironmentVariable($k, $saved[$k]) } }
    if (-not $line) { throw 'The JavaScript benchmark printed no result (did build.ps1 Test or Bench install tests/Interop?).' }
    "$line" | ConvertFrom-Json
}

function Format-Ms([double] $Ms) { '{0:N0} ms' -f $Ms }

$memoryGiB = [double]((Get-Content /proc/meminfo -ErrorAction SilentlyContinue | Select-Object -First 1) -replace '\D', '') / 1MB
$machine = "{0} cores, {1:N0} GiB, {2}, .NET {3}, PowerShell {4}" -f [Environment]::ProcessorCount, $memoryGiB,
    [Runtime.InteropServices.RuntimeInformation]::OSDescription, [Environment]::Version, $PSVersionTable.PSVersion
$cpuModel = (Get-Content /proc/cpuinfo -ErrorAction SilentlyContinue | Select-String '^model name' | Select-Object -First 1) -replace '^.*:\s*', ''
Write-Host "FaceTools benchmark$(if ($Smoke) { ' (smoke sizes: the numbers mean nothing)' }) on $machine $cpuModel`n"

# 1. Import time.
# Interleaved, in an order that rotates, so that noise on the machine (and the cost of following
# another process's start) falls on the three kinds alike.
$bare = [Collections.Generic.List[double]]::new(); $isolated = [Collections.Generic.List[double]]::new(); $flat = [Collections.Generic.List[double]]::new()
$kinds = @(
    { $bare.Add((Measure-Pwsh 'exit')) }
    { $isolated.Add((Measure-Pwsh "Import-Module '$ModulePath'")) }
    { $flat.Add((Measure-Pwsh "Import-Module '$ModulePath'" @{ FACETOOLS_DISABLE_ISOLATION = '1' })) }
)
foreach ($i in 0..($size.Imports - 1)) {
    foreach ($k in 0..2) { & $kinds[($i + $k) % 3] }
}
$importIsolated = (Get-Median $isolated) - (Get-Median $bare)
$importFlat = (Get-Median $flat) - (Get-Median $bare)
Add-Row "Import time added to a bare pwsh (median of $($size.Imports))" (Format-Ms $importIsolated) '< 300 ms' ($importIsolated -lt 300)
Add-Row 'Import time without load-context isolation' (Format-Ms $importFlat) 'isolated <= 1.2x this' ($importIsolated -le [Math]::Max($importFlat, 1) * 1.2)

$emulator = Start-RekEmulator -LatencyMs $size.LatencyMs
try {
    # 2 and 3. Throughput at the simulated latency, beside the JavaScript SDK.
    $faces = $size.Users * 100
    $ours = @{}
    foreach ($throttle in $size.Throttles) {
        $null = Reset-Seed $emulator $size.Users
        $ours[$throttle] = Measure-FaceTools $emulator $throttle
        $r = $ours[$throttle]
        Add-Row "FaceTools, $faces faces / $($size.Users) users, -ThrottleLimit $throttle, $($size.LatencyMs) ms latency" ("{0}, {1:N0} faces/s, {2} requests" -f (Format-Ms $r.WallMs), ($faces / $r.WallMs * 1000), $r.Requests) "requests = $($size.Users)" ($r.Requests -eq $size.Users -and $r.Results -eq $faces)
    }
    $js = @{}
    foreach ($concurrency in 1, ($size.Throttles | Select-Object -Last 1)) {
        $null = Reset-Seed $emulator $size.Users
        $js[$concurrency] = Measure-JsSdk $emulator $concurrency
        Add-Row "AWS SDK for JavaScript v3, $($size.Users) requests, $concurrency in flight" ("{0}, {1} requests" -f (Format-Ms $js[$concurrency].wallMs), $js[$concurrency].requests)
    }
    $top = $size.Throttles | Select-Object -Last 1
    $speedup = $ours[1].WallMs / $ours[$top].WallMs
    Add-Row "Speed-up of -ThrottleLimit $top over 1" ('{0:N1}x' -f $speedup) '>= 10x' ($speedup -ge 10)
    $ratioTop = $ours[$top].WallMs / $js[$top].wallMs
    Add-Row "FaceTools / JS SDK time, $top in flight" ('{0:N2}' -f $ratioTop) '<= 1.25' ($ratioTop -le 1.25)
    $ratioOne = $ours[1].WallMs / $js[1].wallMs
    Add-Row 'FaceTools / JS SDK time, sequential' ('{0:N2}' -f $ratioOne) '<= 1.25' ($ratioOne -le 1.25)

    # 4. Client CPU with no simulated latency.
    $null = Reset-Seed $emulator $size.Users -LatencyMs 0
    $zero = Measure-FaceTools $emulator 4 -Steady
    $perRequest = $zero.CpuMs / [Math]::Max($zero.Requests, 1)
    Add-Row 'Client CPU per request of 100 faces piped as objects, no latency, steady state' ('{0:N2} ms' -f $perRequest) '< 1 ms' ($perRequest -lt 1)
    Add-Row 'Client CPU per face, no latency' ('{0:N1} us' -f ($zero.CpuMs * 1000 / $faces))
    $null = Reset-Seed $emulator $size.Users -LatencyMs 0
    $arrays = Measure-FaceTools $emulator 4 -AsArrays -Steady
    $perRequestArrays = $arrays.CpuMs / [Math]::Max($arrays.Requests, 1)
    Add-Row 'Client CPU per request, each user''s IDs as one -FaceId array, steady state' ('{0:N2} ms' -f $perRequestArrays) '< 1 ms' ($perRequestArrays -lt 1)
    $null = Reset-Seed $emulator $size.Users -LatencyMs 0
    $jsZero = Measure-JsSdk $emulator 4
    Add-Row 'JS SDK CPU per request, no latency, 4 in flight (for scale)' ('{0:N2} ms' -f ($jsZero.cpuMs / [Math]::Max($jsZero.requests, 1)))

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
        '| Measure | Value | Target | Met |'
        '|---|---|---|---|'
        $rows | ForEach-Object { "| $($_.Measure) | $($_.Value) | $($_.Target) | $(if ($_.Met -eq '') { '' } elseif ($_.Met -eq 'True') { 'yes' } else { 'no' }) |" }
    )
    $lines | Set-Content $OutFile
}
$rows
