# The benchmark at smoke sizes, so it cannot rot: it must run end to end and report every row.
# Nothing here times anything; the numbers of a smoke run mean nothing.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../FaceToolsTestHelpers.psm1') -Force
    $ModulePath = if ($env:FACETOOLS_MODULE_PATH) { $env:FACETOOLS_MODULE_PATH } else { Join-Path $PSScriptRoot '../../out/FaceTools' }
}

Describe 'build.ps1 Bench (smoke sizes)' {
    It 'measures import time, throughput beside the JS SDK, client CPU and memory, and writes the table' {
        $outFile = Join-Path $TestDrive 'benchmarks.md'
        $rows = & (Join-Path $PSScriptRoot '../Benchmarks/Invoke-Benchmark.ps1') -ModulePath $ModulePath -OutFile $outFile -Smoke 6>$null

        $measures = $rows.Measure
        $measures | Where-Object { $_ -like 'Import time added*' } | Should -HaveCount 1
        # Two throttle limits at smoke sizes, each cold and warm (two passes in one process).
        $measures | Where-Object { $_ -like 'FaceTools, * -ThrottleLimit *' } | Should -HaveCount 4
        $measures | Where-Object { $_ -like 'AWS SDK for JavaScript v3*' } | Should -HaveCount 4
        $measures | Where-Object { $_ -like 'Client CPU per request*' } | Should -HaveCount 6
        # Piped objects at each throttle limit of the throughput rows.
        $measures | Where-Object { $_ -like 'Client CPU per request of 100 faces piped as objects, -ThrottleLimit *, no latency, warm' } | Should -HaveCount 2
        $measures | Where-Object { $_ -like 'Client CPU per request * warm passes without garbage collection (for scale)' } | Should -HaveCount 1
        $measures | Where-Object { $_ -like 'FaceTools (objects piped, -ThrottleLimit 4) / JS SDK client CPU per request*' } | Should -HaveCount 1
        $measures | Where-Object { $_ -like 'Engine alone*' } | Should -HaveCount 2
        $measures | Where-Object { $_ -like 'Client CPU per face*' } | Should -HaveCount 2
        $measures | Where-Object { $_ -like 'PowerShell alone: binding 100 objects to -InputObject*' } | Should -HaveCount 2
        $measures | Where-Object { $_ -like 'PowerShell alone: binding 100 objects by property name*' } | Should -HaveCount 2
        $measures | Where-Object { $_ -like 'Peak working set*' } | Should -HaveCount 2
        $measures | Where-Object { $_ -like 'Cold pass with DOTNET_TieredPGO=0, -ThrottleLimit *' } | Should -HaveCount 2
        $measures | Where-Object { $_ -like 'Add-RekFaceToCollection, * images, -ThrottleLimit *' } | Should -HaveCount 2
        $measures | Where-Object { $_ -like 'Speed-up of Add-RekFaceToCollection *' } | Should -HaveCount 1
        # An IL-only PowerShell (the dotnet tool) is also measured compiled ahead of time, as installed.
        $precompiled = Test-Precompiled ([PSObject].Assembly.Location)
        $installed = @($rows | Where-Object { $_.Measure -like 'Cold pass in PowerShell precompiled as installed, -ThrottleLimit *' })
        $installed | Should -HaveCount ($precompiled ? 0 : 2)
        $installed.Met | Should -Not -Contain $false
        $measures | Where-Object { $_ -like '* precompiled PowerShell / JS SDK time, *' } | Should -HaveCount ($precompiled ? 0 : 2)
        # The request counts are exact even at smoke sizes, in every pass: one request per user of 100 faces.
        ($rows | Where-Object { $_.Measure -like 'FaceTools, * -ThrottleLimit *' }).Met | Should -Be @($true, $true, $true, $true)
        $text = Get-Content -Raw $outFile
        $text | Should -Match '\| Measure \| Value \| Target \| Met \|'
        $text | Should -Match 'Machine: \d+ cores'
    }
}
