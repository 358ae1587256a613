# Dot-sourced by each test file's BeforeAll: imports the built module and starts a fresh emulator
# on a free loopback port, with this process's environment pointing the AWS client at it.
Import-Module (Join-Path $PSScriptRoot '../FaceToolsTestHelpers.psm1') -Force
$modulePath = if ($env:FACETOOLS_MODULE_PATH) { $env:FACETOOLS_MODULE_PATH } else { Join-Path $PSScriptRoot '../../out/FaceTools' }
Import-Module $modulePath -Force

$Emulator = Start-RekEmulator
$EmulatorEnvironment = Get-RekEmulatorEnvironment $Emulator
foreach ($name in $EmulatorEnvironment.Keys) { [Environment]::SetEnvironmentVariable($name, $EmulatorEnvironment[$name]) }
$Endpoint = $Emulator.Url
$PSDefaultParameterValues['*-Rek*:EndpointUrl'] = $Endpoint

# Seeds users with generated faces; returns @{ userId = faceIds[] } plus FreeFaceIds.
function New-TestFaces {
    param([string] $CollectionId = 'c1', [hashtable] $Users = @{}, [int] $FreeFaces = 0)
    $generate = @{ CollectionId = $CollectionId; Users = @($Users.Keys | ForEach-Object { @{ UserId = $_; FaceCount = $Users[$_] } }); FreeFaces = $FreeFaces }
    $answer = Invoke-RekEmulator $Emulator -Route seed -Body @{ Generate = $generate }
    $faces = @{ FreeFaceIds = @($answer.Generated.FreeFaceIds) }
    foreach ($user in $answer.Generated.Users) { $faces[$user.UserId] = @($user.FaceIds) }
    $faces
}

function Get-EmulatorLog([string] $Operation) {
    $log = @((Invoke-RekEmulator $Emulator -Route log).Requests)
    if ($Operation) { $log = @($log | Where-Object Operation -eq $Operation) }
    $log
}

function Get-EmulatorFace([string] $CollectionId, [string] $FaceId) {
    $state = Invoke-RekEmulator $Emulator -Route state
    ($state.Collections | Where-Object CollectionId -eq $CollectionId).Faces | Where-Object FaceId -eq $FaceId
}

function New-RandomFaceId { [guid]::NewGuid().ToString() }

# Runs a script in its own runspace and returns what it wrote to the progress stream.
function Get-ProgressRecords([string] $Script) {
    $ps = [powershell]::Create()
    try {
        $null = $ps.AddScript("Import-Module '$((Get-Module FaceTools).ModuleBase)'; `$ProgressPreference = 'Continue'; $Script")
        $null = $ps.Invoke()
        $ps.Streams.Error | Should -BeNullOrEmpty
        @($ps.Streams.Progress | Where-Object Activity -like '*faces*')
    }
    finally { $ps.Dispose() }
}
