# Faults, garbage, timeouts, clock skew, Ctrl+C and bad input: nothing lost, nothing leaked.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')

    function Set-Faults([object[]] $Rules, [int] $Seed = 7) {
        $null = Invoke-RekEmulator $Emulator -Route faults -Body @{ Seed = $Seed; Rules = $Rules }
    }

    # Every face of $Faces is in exactly one result or one error's TargetObject.
    function Assert-AccountedFor($Faces, $Results, $Failures) {
        $reported = @($Results | Where-Object { $_ } | ForEach-Object FaceId) + @($Failures | Where-Object { $_ } | ForEach-Object { $_.TargetObject })
        $reported.Count | Should -Be @($Faces).Count -Because 'each face is reported once'
        ($reported | Sort-Object) | Should -Be ($Faces | Sort-Object)
    }

    # Waits until $MinimumOutput results are out, presses Ctrl+C, and checks the stop was prompt and sent
    # nothing more; returns how many requests the emulator saw.
    function Stop-AfterOutput($PowerShell, $Output, [int] $MinimumOutput) {
        $deadline = [DateTime]::UtcNow.AddSeconds(30)
        while ($Output.Count -lt $MinimumOutput -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
        # Count only: enumerating a PSDataCollection that is still open waits for it to close.
        $PowerShell.Streams.Error.Count | Should -Be 0
        $Output.Count | Should -BeGreaterOrEqual $MinimumOutput -Because 'some batches completed before the stop'

        $sw = [Diagnostics.Stopwatch]::StartNew()
        $PowerShell.Stop()
        $sw.Elapsed.TotalSeconds | Should -BeLessThan 2
        $PowerShell.InvocationStateInfo.State | Should -Be 'Stopped'
        $atStop = @(Get-EmulatorLog DisassociateFaces).Count
        Start-Sleep -Seconds 1
        @(Get-EmulatorLog DisassociateFaces).Count | Should -Be $atStop -Because 'no request is sent after the stop'
        $atStop
    }
}

AfterAll {
    Stop-RekEmulator $Emulator
}

Describe 'Reliability' {
    BeforeEach {
        $null = Invoke-RekEmulator $Emulator -Route reset
    }

    It 'accounts for every face through a storm of throttling, 500s, dropped connections and timeouts' {
        $users = @{}; 1..50 | ForEach-Object { $users["u$_"] = 100 }
        $faces = New-TestFaces -Users $users
        $rows = foreach ($user in $users.Keys) { foreach ($id in $faces[$user]) { [pscustomobject]@{ CollectionId = 'c1'; UserId = $user; FaceId = $id } } }
        Set-Faults -Seed 2024 -Rules @(
            @{ Operation = 'DisassociateFaces'; Kind = 'Throttle'; Probability = 0.40 }
            @{ Operation = 'DisassociateFaces'; Kind = 'InternalError'; Probability = 0.10 }
            @{ Operation = 'DisassociateFaces'; Kind = 'Drop'; Probability = 0.05 }
            @{ Operation = 'DisassociateFaces'; Kind = 'Delay'; Probability = 0.05; DelayMs = 2500 }
        )

        $results = $rows | Remove-RekFaceFromUser -Force -TimeoutSec 2 -ErrorVariable failures -ErrorAction SilentlyContinue

        Assert-AccountedFor $rows.FaceId $results $failures
        $log = Get-EmulatorLog DisassociateFaces
        # One token per batch, and every retry of a batch carried that batch's token and faces.
        $byToken = $log | Group-Object ClientRequestToken
        $byToken | Should -HaveCount 50
        foreach ($batch in $byToken) {
            @($batch.Group.UserId | Sort-Object -Unique) | Should -HaveCount 1
            @($batch.Group | ForEach-Object { ($_.FaceIds | Sort-Object) -join ',' } | Sort-Object -Unique) | Should -HaveCount 1
        }
        @($log | Where-Object Fault).Count | Should -BeGreaterThan 0 -Because 'the storm happened'
        @($log | Where-Object { -not $_.Fault -and $_.StatusCode -eq 200 }).Count | Should -BeGreaterThan 0

        # The emulator's final state agrees with what was reported.
        $state = Invoke-RekEmulator $Emulator -Route state
        $owner = @{}; foreach ($face in ($state.Collections | Where-Object CollectionId -eq 'c1').Faces) { $owner[$face.FaceId] = $face.UserId }
        foreach ($result in $results | Where-Object Status -eq 'Disassociated') { $owner[$result.FaceId] | Should -BeNullOrEmpty }
        $applied = @($log | Where-Object { $_.StatusCode -eq 200 -and -not $_.Fault -or $_.Fault -eq 'Delay' } | ForEach-Object ClientRequestToken)
        foreach ($failure in $failures) {
            $faceIds = @($failure.TargetObject)
            $token = ($log | Where-Object { ($_.FaceIds | Sort-Object) -join ',' -eq (($faceIds | Sort-Object) -join ',') } | Select-Object -First 1).ClientRequestToken
            $stillAssociated = @($faceIds | Where-Object { $owner[$_] }).Count -eq $faceIds.Count
            ($stillAssociated -or $applied -contains $token) | Should -BeTrue -Because "a failed batch is either untouched or was applied by an attempt the client gave up on"
        }
    }

    It 'ignores unexpected extra fields in an answer' {
        $faces = New-TestFaces -Users @{ alice = 2 }
        Set-Faults @(@{ Kind = 'ExtraFields' })
        $results = $faces.alice | Remove-RekFaceFromUser -CollectionId c1 -UserId alice -Force
        @($results | Where-Object Status -eq 'Disassociated') | Should -HaveCount 2
    }

    It 'reads a JSON answer whatever its content type says' {
        $faces = New-TestFaces -Users @{ alice = 2 }
        Set-Faults @(@{ Kind = 'WrongContentType' })
        $results = $faces.alice | Remove-RekFaceFromUser -CollectionId c1 -UserId alice -Force
        @($results | Where-Object Status -eq 'Disassociated') | Should -HaveCount 2
    }

    It 'turns a garbage answer (<Kind>) into a clear error naming the faces' -TestCases @(
        @{ Kind = 'TruncatedJson'; ErrorId = 'MalformedResponse'; Category = 'ProtocolError'; Message = 'not a Rekognition JSON answer.*truncated or corrupt' }
        @{ Kind = 'EmptyOk'; ErrorId = 'MalformedResponse'; Category = 'ProtocolError'; Message = 'body is empty' }
        @{ Kind = 'HtmlBadGateway'; ErrorId = 'Http502'; Category = 'ResourceUnavailable'; Message = 'HTML page: a proxy or load balancer' }
        @{ Kind = 'Missing__type'; ErrorId = 'Http400'; Category = 'NotSpecified'; Message = 'HTTP 400 without an error code' }
    ) {
        $faces = New-TestFaces -Users @{ alice = 3 }
        Set-Faults @(@{ Kind = $Kind })
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $results = $faces.alice | Remove-RekFaceFromUser -CollectionId c1 -UserId alice -Force -ErrorVariable failures -ErrorAction SilentlyContinue

        $sw.Elapsed.TotalSeconds | Should -BeLessThan 30
        $results | Should -BeNullOrEmpty
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -Be "$ErrorId,FaceTools.Commands.RemoveRekFaceFromUserCommand"
        $failures[0].CategoryInfo.Category | Should -Be $Category
        $failures[0].Exception | Should -Not -BeOfType System.NullReferenceException
        $failures[0].Exception.Message | Should -Match $Message
        Assert-AccountedFor $faces.alice $results $failures
    }

    It 'does not send again a change without a token whose success answer was lost (<Command>), and says it was probably done' -ForEach @(
        @{ Command = 'New-RekFaceCollection'; Operation = 'CreateCollection'; Kind = 'EmptyOk' }
        @{ Command = 'Remove-RekFaceFromCollection'; Operation = 'DeleteFaces'; Kind = 'TruncatedJson' }
    ) {
        $faces = (New-TestFaces -FreeFaces 2).FreeFaceIds
        Set-Faults @(@{ Operation = $Operation; Kind = $Kind })
        $failure = $null
        try {
            if ($Command -eq 'New-RekFaceCollection') { $null = New-RekFaceCollection -CollectionId c2 -ErrorAction Stop }
            else { $null = Remove-RekFaceFromCollection -CollectionId c1 -FaceId $faces -Force -ErrorAction Stop }
        }
        catch { $failure = $_ }

        $failure.FullyQualifiedErrorId | Should -BeLike 'MalformedResponse,*'
        $failure.Exception.Message | Should -Match "probably done what was asked; $Operation was not sent again"
        Get-EmulatorLog $Operation | Should -HaveCount 1
        Set-Faults @()
        if ($Command -eq 'New-RekFaceCollection') { (Get-RekFaceCollection -CollectionId c2).CollectionId | Should -Be 'c2' }
        else { Get-RekFace -CollectionId c1 | Should -BeNullOrEmpty }
    }

    It 'reports a ConflictException for one user''s batch and goes on with the others, without retrying it' {
        $faces = New-TestFaces -Users @{ alice = 2; bob = 2 }
        Set-Faults @(@{ Operation = 'DisassociateFaces'; Kind = 'Conflict'; Count = 1 })
        $rows = foreach ($user in 'alice', 'bob') { foreach ($id in $faces[$user]) { [pscustomobject]@{ CollectionId = 'c1'; UserId = $user; FaceId = $id } } }
        $results = $rows | Remove-RekFaceFromUser -Force -ThrottleLimit 1 -ErrorVariable failures -ErrorAction SilentlyContinue

        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'ConflictException,FaceTools.Commands.RemoveRekFaceFromUserCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'ResourceBusy'
        $failures[0].CategoryInfo.TargetName | Should -Be 'c1/alice' -Because 'the category line names the batch, not String[]'
        $failures[0].CategoryInfo.ToString() | Should -BeLike '*(c1/alice:FaceIds)*'
        @($failures[0].TargetObject) | Should -Be $faces.alice
        $results.FaceId | Should -Be $faces.bob
        Get-EmulatorLog DisassociateFaces | Should -HaveCount 2
    }

    It 'stops at a redirect: the signed request goes nowhere else and the error says where it pointed' {
        $faces = New-TestFaces -Users @{ alice = 3 }
        Set-Faults @(@{ Kind = 'Redirect' })
        $failure = $null
        try {
            $results = $faces.alice | Remove-RekFaceFromUser -CollectionId c1 -UserId alice -Force
        } catch {
            $failure = $_
        }

        $results | Should -BeNullOrEmpty
        $failure.FullyQualifiedErrorId | Should -Be 'Http307,FaceTools.Commands.RemoveRekFaceFromUserCommand'
        $failure.CategoryInfo.Category | Should -Be 'InvalidOperation'
        $failure.Exception.Message | Should -Match 'redirect to .https://rekognition\.elsewhere\.invalid/.*never redirects'
        @(Get-EmulatorLog DisassociateFaces) | Should -HaveCount 1 -Because 'a redirect is neither followed nor retried'
        Assert-AccountedFor $faces.alice $results @($failure)
    }

    It 'accounts for every face when it stops mid-stream at <Stop>' -ForEach @(
        @{ Stop = 'a redirect'; ErrorId = 'Http307'; Fault = @{ Operation = 'DisassociateFaces'; Kind = 'Redirect'; Count = 1 }; Switches = @{} }
        @{ Stop = 'an error with -ErrorAction Stop'; ErrorId = 'InternalServerError'; Fault = @{ Operation = 'DisassociateFaces'; Kind = 'InternalError'; Count = 20 }; Switches = @{ ErrorAction = 'Stop' } }
    ) {
        # 20 users; the first four requests are slow, so the failure comes while others are in flight, queued or not yet full.
        $users = @{}; 1..20 | ForEach-Object { $users["u$_"] = 100 }
        $faces = New-TestFaces -Users $users
        $rows = foreach ($user in $users.Keys | Sort-Object) { foreach ($id in $faces[$user]) { [pscustomobject]@{ CollectionId = 'c1'; UserId = $user; FaceId = $id } } }
        Set-Faults @(@{ Operation = 'DisassociateFaces'; Kind = 'Delay'; DelayMs = 400; Count = 4 }, $Fault)
        $env:AWS_MAX_ATTEMPTS = '1'
        # Handed in: the rows the command read before it stopped (the rest never left the pipeline).
        $handedIn = [Collections.Generic.List[string]]::new()
        $results = [Collections.Generic.List[object]]::new()
        $failure = $null
        try { $rows | ForEach-Object { $handedIn.Add($_.FaceId); $_ } | Remove-RekFaceFromUser -Force -ThrottleLimit 8 @Switches | ForEach-Object { $results.Add($_) } }
        catch { $failure = $_ }
        finally { $env:AWS_MAX_ATTEMPTS = $null }

        $failure.FullyQualifiedErrorId | Should -Be "$ErrorId,FaceTools.Commands.RemoveRekFaceFromUserCommand"
        @($failure.TargetObject).Count | Should -BeGreaterThan 100 -Because 'the faces not sent join the failed batch''s'
        $failure.ErrorDetails.Message | Should -Match 'more face\(s\) were not sent'
        $handedIn.Count | Should -BeLessThan $rows.Count -Because 'the command stopped mid-stream'
        Assert-AccountedFor $handedIn $results @($failure)
        # What was reported done is done; nothing is sent after the stop.
        $state = Invoke-RekEmulator $Emulator -Route state
        $owner = @{}; foreach ($face in ($state.Collections | Where-Object CollectionId -eq 'c1').Faces) { $owner[$face.FaceId] = $face.UserId }
        foreach ($result in $results) { $owner[$result.FaceId] | Should -BeNullOrEmpty }
        $sent = @(Get-EmulatorLog DisassociateFaces).Count
        Start-Sleep -Milliseconds 800
        @(Get-EmulatorLog DisassociateFaces).Count | Should -Be $sent
    }

    It 'accounts for every face when -ErrorAction Stop stops it at a bad line (<Line>) mid-stream' -ForEach @(
        @{ Line = 'a blank line'; Value = '' }
        @{ Line = 'an invalid ID'; Value = 'not-a-face-id' }
        @{ Line = 'a bad user ID'; Value = 'bad user' }
    ) {
        # 20 users' faces as rows; the first requests are slow, so the bad row comes while batches are in flight.
        $users = @{}; 1..20 | ForEach-Object { $users["u$_"] = 100 }
        $faces = New-TestFaces -Users $users
        $rows = [Collections.Generic.List[object]]::new()
        foreach ($user in $users.Keys | Sort-Object) { foreach ($id in $faces[$user]) { $rows.Add([pscustomobject]@{ CollectionId = 'c1'; UserId = $user; FaceId = $id }) } }
        $bad = if ($Line -eq 'a bad user ID') { [pscustomobject]@{ CollectionId = 'c1'; UserId = $Value; FaceId = New-RandomFaceId } }
               else { [pscustomobject]@{ CollectionId = 'c1'; UserId = 'u1'; FaceId = $Value } }
        $rows.Insert(1250, $bad)
        Set-Faults @(@{ Operation = 'DisassociateFaces'; Kind = 'Delay'; DelayMs = 400; Count = 4 })
        $handedIn = [Collections.Generic.List[string]]::new()
        $results = [Collections.Generic.List[object]]::new()
        $failure = $null
        try { $rows | ForEach-Object { if ($_.FaceId) { $handedIn.Add($_.FaceId) }; $_ } | Remove-RekFaceFromUser -Force -ThrottleLimit 8 -ErrorAction Stop | ForEach-Object { $results.Add($_) } }
        catch { $failure = $_ }

        $failure.FullyQualifiedErrorId | Should -Be 'ParameterArgumentValidationError,FaceTools.Commands.RemoveRekFaceFromUserCommand'
        $failure.Exception.Message | Should -Match $(if ($Line -eq 'a bad user ID') { "parameter 'UserId'" } else { "parameter 'FaceId'" })
        $failure.ErrorDetails.Message | Should -Match 'more face\(s\) were not sent'
        $handedIn.Count | Should -BeLessThan $rows.Count -Because 'the command stopped mid-stream'
        $results.Count | Should -BeGreaterThan 0 -Because 'the answers of the batches sent before the stop are written'
        Assert-AccountedFor $handedIn $results @($failure)
    }

    It 'lets the batches in flight end and writes their results when a bad line stops it' {
        $faces = New-TestFaces -Users @{ u1 = 100; u2 = 100; u3 = 100 }
        $rows = @(foreach ($user in 'u1', 'u2', 'u3') { foreach ($id in $faces[$user]) { [pscustomobject]@{ CollectionId = 'c1'; UserId = $user; FaceId = $id } } })
        $rows += [pscustomobject]@{ CollectionId = 'c1'; UserId = 'u1'; FaceId = '' }
        Set-Faults @(@{ Operation = 'DisassociateFaces'; Kind = 'Delay'; DelayMs = 400 })
        $results = [Collections.Generic.List[object]]::new()
        $failure = $null
        # The blank line comes 200 ms after the last full batch: the three batches are in flight by then.
        try { $rows | ForEach-Object { if (-not $_.FaceId) { Start-Sleep -Milliseconds 200 }; $_ } | Remove-RekFaceFromUser -Force -ThrottleLimit 4 -ErrorAction Stop | ForEach-Object { $results.Add($_) } }
        catch { $failure = $_ }

        $failure.FullyQualifiedErrorId | Should -Be 'ParameterArgumentValidationError,FaceTools.Commands.RemoveRekFaceFromUserCommand'
        $results.Count | Should -Be 300 -Because 'the three batches were in flight when the blank line came'
        @($results | Where-Object Status -eq 'Disassociated') | Should -HaveCount 300
        $failure.TargetObject | Should -BeNullOrEmpty -Because 'every face has its result'
    }

    It 'names the faces of a refused record once, and none that another result covers (<Action>)' -ForEach @(
        @{ Action = 'SilentlyContinue' }
        @{ Action = 'Stop' }
    ) {
        $faces = (New-TestFaces -Users @{ alice = 3 }).alice
        $rows = @(
            [pscustomobject]@{ CollectionId = 'c1'; UserId = 'alice'; FaceId = $faces[0] }
            [pscustomobject]@{ CollectionId = 'c1'; UserId = 'alice'; FaceId = $faces[1] }
            [pscustomobject]@{ CollectionId = 'c1'; UserId = 'alice'; FaceId = @($faces[0], $faces[2], $faces[2], 'nope') }
        )
        $failures = @()
        $results = @()
        try { $results = @($rows | Remove-RekFaceFromUser -Force -ErrorAction $Action -ErrorVariable failures) }
        catch { $failures = @($_) }

        $failures | Should -HaveCount 1
        $named = @($failures[0].TargetObject)
        ($named | Sort-Object) | Should -Be (@($faces[2], 'nope') + $(if ($Action -eq 'Stop') { $faces[0], $faces[1] }) | Sort-Object)
        if ($Action -eq 'SilentlyContinue') { ($results.FaceId | Sort-Object) | Should -Be ($faces[0..1] | Sort-Object) }
        else { $results | Should -BeNullOrEmpty }
    }

    It 'refuses an empty list of face IDs with PowerShell''s ID for it (<Where>)' -ForEach @(
        @{ Where = 'argument' }
        @{ Where = 'pipeline' }
    ) {
        $failure = $null
        try {
            if ($Where -eq 'argument') { Remove-RekFaceFromUser -CollectionId c1 -UserId alice -FaceId @() -Force -ErrorAction Stop }
            else { [pscustomobject]@{ CollectionId = 'c1'; UserId = 'alice'; FaceId = @() } | Remove-RekFaceFromUser -Force -ErrorAction Stop }
        }
        catch { $failure = $_ }
        $failure.FullyQualifiedErrorId | Should -Be 'ParameterArgumentValidationErrorEmptyArrayNotAllowed,FaceTools.Commands.RemoveRekFaceFromUserCommand'
        $failure.Exception.Message | Should -Match "parameter 'FaceId'. The list of face IDs is empty"
        Get-EmulatorLog | Should -BeNullOrEmpty
    }

    It 'names each face once when it stops inside one argument that repeats IDs (<Stop>)' -ForEach @(
        @{ Stop = 'a redirect'; Fault = @{ Operation = 'DisassociateFaces'; Kind = 'Redirect'; Count = 1 }; Switches = @{} }
        @{ Stop = 'an error with -ErrorAction Stop'; Fault = @{ Operation = 'DisassociateFaces'; Kind = 'InternalError'; Count = 1 }; Switches = @{ ErrorAction = 'Stop' } }
    ) {
        # 400 faces, then the first 10 again and the first face of the first batch once more: the first batch
        # succeeds, the second fails while the rest of the argument is still being read.
        $faces = (New-TestFaces -Users @{ alice = 400 }).alice
        $ids = @($faces) + $faces[0..9] + $faces[0]
        Set-Faults @(@{ Operation = 'DisassociateFaces'; Kind = 'Delay'; DelayMs = 300; Count = 1 }, $Fault)
        $env:AWS_MAX_ATTEMPTS = '1'
        $failure = $null
        $results = [Collections.Generic.List[object]]::new()
        try { Remove-RekFaceFromUser -CollectionId c1 -UserId alice -FaceId $ids -Force -ThrottleLimit 1 @Switches | ForEach-Object { $results.Add($_) } }
        catch { $failure = $_ }
        finally { $env:AWS_MAX_ATTEMPTS = $null }

        $failure | Should -Not -BeNullOrEmpty
        $results.Count | Should -BeGreaterThan 0 -Because 'the first batch succeeded before the stop'
        Assert-AccountedFor $faces $results @($failure)
    }

    It 'stops at a configuration error before it reads any face (<Case>)' -ForEach @(
        @{ Case = 'a bad region'; Switches = @{ Region = 'US_East_1' }; ErrorId = 'InvalidConfiguration' }
        @{ Case = 'an unknown profile'; Switches = @{ ProfileName = 'no-such-profile' }; ErrorId = 'ProfileNotFound' }
    ) {
        $faces = (New-TestFaces -Users @{ alice = 3 }).alice
        $read = [Collections.Generic.List[string]]::new()
        $failure = $null
        try { $faces | ForEach-Object { $read.Add($_); $_ } | Remove-RekFaceFromUser -CollectionId c1 -UserId alice -Force @Switches }
        catch { $failure = $_ }

        $failure.FullyQualifiedErrorId | Should -Be "$ErrorId,FaceTools.Commands.RemoveRekFaceFromUserCommand"
        $read | Should -BeNullOrEmpty -Because 'no face was handed in, so none is left unreported'
        Get-EmulatorLog | Should -BeNullOrEmpty
    }

    It 'needs no working configuration for -WhatIf, which sends nothing' {
        $results = New-RandomFaceId | Remove-RekFaceFromUser -CollectionId c1 -UserId alice -WhatIf -ProfileName no-such-profile -ErrorVariable failures
        $results | Should -BeNullOrEmpty
        $failures | Should -BeNullOrEmpty
        Get-EmulatorLog | Should -BeNullOrEmpty
    }

    It 'recommends a rerun after a service failure, naming the token where the command takes one (<Command> <Token>)' -ForEach @(
        @{ Command = 'Remove-RekFaceFromUser'; Token = 'run-1'; Action = 'Run the command again with the same -ClientRequestToken: what the service already did is answered again, not done again.' }
        @{ Command = 'Remove-RekFaceFromUser'; Token = $null; Action = 'Run the command again; with a -ClientRequestToken, a rerun of the same input is answered, not done again.' }
        @{ Command = 'Remove-RekFaceCollection'; Token = $null; Action = 'Run the command again.' }
    ) {
        $faces = New-TestFaces -Users @{ alice = 1 }
        Set-Faults @(@{ Kind = 'InternalError' })
        $env:AWS_MAX_ATTEMPTS = '1'
        try {
            $token = if ($Token) { @{ ClientRequestToken = $Token } } else { @{} }
            if ($Command -eq 'Remove-RekFaceFromUser') { $null = Remove-RekFaceFromUser -CollectionId c1 -UserId alice -FaceId $faces.alice[0] -Force @token -ErrorVariable failures -ErrorAction SilentlyContinue }
            else { Remove-RekFaceCollection -CollectionId c1 -Force -ErrorVariable failures -ErrorAction SilentlyContinue }
        }
        finally { $env:AWS_MAX_ATTEMPTS = $null }
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'InternalServerError,*'
        $failures[0].ErrorDetails.RecommendedAction | Should -Be $Action
    }

    It 'names the endpoint it could not reach, without the password it may hold, and says what to check' {
        $port = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0); $port.Start(); $free = $port.LocalEndpoint.Port; $port.Stop()
        $env:AWS_MAX_ATTEMPTS = '1'
        try { $null = Get-RekUser -CollectionId c1 -EndpointUrl "http://admin:P4ssw0rdSecret@127.0.0.1:$free" -ErrorVariable failures -ErrorAction SilentlyContinue }
        finally { $env:AWS_MAX_ATTEMPTS = $null }
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'ConnectionFailure,*'
        $failures[0].Exception.Message | Should -Match ([regex]::Escape("The connection to the service at http://***@127.0.0.1:$free"))
        ($failures[0] | Format-List * -Force | Out-String) | Should -Not -Match 'P4ssw0rdSecret' -Because 'a password in the endpoint is a secret'
        $failures[0].ErrorDetails.RecommendedAction | Should -Match '^Check the network .*-Region or -EndpointUrl'
    }

    It 'tells what to do when a token was used before with other input' {
        $faces = New-TestFaces -Users @{ alice = 2 }
        $null = Remove-RekFaceFromUser -CollectionId c1 -UserId alice -FaceId $faces.alice[0] -ClientRequestToken reused -Force
        $null = Remove-RekFaceFromUser -CollectionId c1 -UserId alice -FaceId $faces.alice[1] -ClientRequestToken reused -Force -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].FullyQualifiedErrorId | Should -Be 'IdempotentParameterMismatchException,FaceTools.Commands.RemoveRekFaceFromUserCommand'
        $failures[0].ErrorDetails.RecommendedAction | Should -Match 'new token'
    }

    It 'gives up on a hung server within the timeout times the attempts' {
        $faces = New-TestFaces -Users @{ alice = 2 }
        Set-Faults @(@{ Kind = 'Hang' })
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $results = $faces.alice | Remove-RekFaceFromUser -CollectionId c1 -UserId alice -Force -TimeoutSec 1 -ErrorVariable failures -ErrorAction SilentlyContinue

        # Three attempts of one second each, plus the retry back-off between them.
        $sw.Elapsed.TotalSeconds | Should -BeLessThan 12
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'RequestTimeout,FaceTools.Commands.RemoveRekFaceFromUserCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
        Assert-AccountedFor $faces.alice $results $failures
    }

    It 'corrects its clock when the service''s clock is 20 minutes ahead' {
        $faces = New-TestFaces -Users @{ alice = 2 }
        $null = Invoke-RekEmulator $Emulator -Route config -Body @{ ClockSkewSeconds = 1200 }
        try {
            $results = $faces.alice | Remove-RekFaceFromUser -CollectionId c1 -UserId alice -Force
        }
        finally { $null = Invoke-RekEmulator $Emulator -Route config -Body @{ ClockSkewSeconds = 0 } }

        @($results | Where-Object Status -eq 'Disassociated') | Should -HaveCount 2
        $log = Get-EmulatorLog DisassociateFaces
        $log[0].ErrorCode | Should -Be 'InvalidSignatureException'
        $log[-1].StatusCode | Should -Be 200

        # And when the service's clock is right again, the client follows it back.
        $null = Invoke-RekEmulator $Emulator -Route reset
        $faces = New-TestFaces -Users @{ alice = 1 }
        (Remove-RekFaceFromUser -CollectionId c1 -UserId alice -FaceId $faces.alice[0] -Force).Status | Should -Be 'Disassociated'
    }

    It 'stops promptly on Ctrl+C, keeps what completed, and sends nothing more' {
        $users = @{}; 1..40 | ForEach-Object { $users["u$_"] = 100 }
        $faces = New-TestFaces -Users $users
        $null = Invoke-RekEmulator $Emulator -Route config -Body @{ LatencyMs = 250 }
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$((Get-Module FaceTools).ModuleBase)'; `$input | Remove-RekFaceFromUser -Force -ThrottleLimit 2 -EndpointUrl '$Endpoint'")
            $in = [Management.Automation.PSDataCollection[object]]::new()
            foreach ($user in $users.Keys) { foreach ($id in $faces[$user]) { $in.Add([pscustomobject]@{ CollectionId = 'c1'; UserId = $user; FaceId = $id }) } }
            $in.Complete()
            $out = [Management.Automation.PSDataCollection[object]]::new()
            $null = $ps.BeginInvoke($in, $out)
            Stop-AfterOutput $ps $out 300 | Should -BeLessThan 40

            # What completed was reported, and the emulator agrees.
            $state = Invoke-RekEmulator $Emulator -Route state
            $free = @(($state.Collections | Where-Object CollectionId -eq 'c1').Faces | Where-Object { -not $_.UserId } | ForEach-Object FaceId)
            foreach ($result in $out) { $free | Should -Contain $result.FaceId }
        }
        finally {
            $ps.Dispose()
            $null = Invoke-RekEmulator $Emulator -Route config -Body @{ LatencyMs = 0 }
        }
    }

    It 'sends nothing more once the command has ended without Ctrl+C (<Ending>)' -ForEach @(
        @{ Ending = 'Select-Object -First 1'; Script = { param($rows) $null = $rows | Remove-RekFaceFromUser -Force -ErrorAction SilentlyContinue | Select-Object -First 1 } }
        @{ Ending = '-ErrorAction Stop'; Script = { param($rows) try { $null = $rows | Remove-RekFaceFromUser -Force -ErrorAction Stop } catch { } } }
    ) {
        # One batch for a user that does not exist (an error) beside the first of three of alice's, which go one after another.
        # Those first two take 400 ms, any later one 5 s: unless the command ends seconds late, alice's second batch is still
        # under way when it ends, and her third cannot have started.
        $faces = New-TestFaces -Users @{ alice = 300 }
        $rows = @(1..100 | ForEach-Object { [pscustomobject]@{ CollectionId = 'c1'; UserId = 'ghost'; FaceId = New-RandomFaceId } }) +
            @($faces.alice | ForEach-Object { [pscustomobject]@{ CollectionId = 'c1'; UserId = 'alice'; FaceId = $_ } })
        Set-Faults @(
            @{ Operation = 'DisassociateFaces'; Kind = 'Delay'; DelayMs = 400; Count = 2 }
            @{ Operation = 'DisassociateFaces'; Kind = 'Delay'; DelayMs = 5000 }
        )
        & $Script $rows
        Start-Sleep -Milliseconds 2000

        # The command ended after the first or second batch; the next may have started as it ended, the last never.
        @(Get-EmulatorLog DisassociateFaces).Count | Should -BeLessOrEqual 3
        (Get-EmulatorFace c1 $faces.alice[299]).UserId | Should -Be 'alice'
    }

    It 'stops promptly on Ctrl+C when the IDs come as one argument' {
        $null = New-TestFaces -Users @{ alice = 1 }
        $ids = 1..1000 | ForEach-Object { '{0:x8}-0000-4000-8000-{1:x12}' -f 9, $_ }
        $null = Invoke-RekEmulator $Emulator -Route config -Body @{ LatencyMs = 250 }
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$((Get-Module FaceTools).ModuleBase)'; Remove-RekFaceFromUser -CollectionId c1 -UserId alice -FaceId `$args[0] -Force -EndpointUrl '$Endpoint'").AddArgument([string[]] $ids)
            $out = [Management.Automation.PSDataCollection[object]]::new()
            $null = $ps.BeginInvoke([Management.Automation.PSDataCollection[object]]::new(), $out)
            Stop-AfterOutput $ps $out 200 | Should -BeLessThan 10
            $out.Count % 100 | Should -Be 0 -Because 'each completed batch is reported whole'
        }
        finally {
            $ps.Dispose()
            $null = Invoke-RekEmulator $Emulator -Route config -Body @{ LatencyMs = 0 }
        }
    }
}

Describe 'Bad input' {
    BeforeAll {
        $null = Invoke-RekEmulator $Emulator -Route reset
        $script:faces = New-TestFaces -Users @{ alice = 3 }
        $valid = $faces.alice[0]
        # Each row: what is passed, and the parameter its error must name.
        $script:badFaceIds = @(
            @{ Name = 'null'; Value = $null }
            @{ Name = 'empty'; Value = '' }
            @{ Name = 'white space'; Value = '   ' }
            @{ Name = '10,000 characters'; Value = 'a' * 10000 }
            @{ Name = 'Cyrillic look-alike'; Value = $valid.Substring(0, 35) + [char]0x0430 }
            @{ Name = 'full-width digit'; Value = [char]0xFF11 + $valid.Substring(1) }
            @{ Name = 'upper case'; Value = $valid.ToUpperInvariant().Replace('-', '-') + '' }
            @{ Name = 'braced'; Value = "{$valid}" }
            @{ Name = 'a number'; Value = 42 }
            @{ Name = 'a hashtable'; Value = @{ FaceId = $valid } }
            @{ Name = 'an object without the properties'; Value = [pscustomobject]@{ Face = $valid } }
        )
    }

    BeforeEach {
        $null = Invoke-RekEmulator $Emulator -Route reset
        $null = New-TestFaces -Users @{ alice = 3 }
    }

    It 'rejects a bad face ID (<Name>) by name and rule, sends nothing for it, and sends the valid ones around it' -ForEach @(
        @{ Name = 'null' }, @{ Name = 'empty' }, @{ Name = 'white space' }, @{ Name = '10,000 characters' }, @{ Name = 'Cyrillic look-alike' },
        @{ Name = 'full-width digit' }, @{ Name = 'upper case' }, @{ Name = 'braced' }, @{ Name = 'a number' }, @{ Name = 'a hashtable' },
        @{ Name = 'an object without the properties' }
    ) {
        $row = $badFaceIds | Where-Object { $_.Name -eq $Name }
        $before, $after = $faces.alice[1], $faces.alice[2]
        $results = @($before, $row.Value, $after) | Remove-RekFaceFromUser -CollectionId c1 -UserId alice -Force -ErrorVariable failures -ErrorAction SilentlyContinue

        $results.FaceId | Should -Be @($before, $after)
        $failures | Should -HaveCount 1
        # Every piped object reaches the cmdlet (-InputObject takes anything), which refuses it in one way.
        $failures[0].FullyQualifiedErrorId | Should -Be 'ParameterArgumentValidationError,FaceTools.Commands.RemoveRekFaceFromUserCommand'
        $failures[0].Exception.Message | Should -Match 'FaceId'
        $failures[0].Exception.Message.Length | Should -BeLessThan 1000 -Because 'a huge value is not echoed whole'
        $failures[0].Exception | Should -Not -BeOfType System.NullReferenceException
        (Get-EmulatorLog DisassociateFaces).FaceIds | Should -Be @($before, $after)
    }

    It 'rejects a bad face ID in an argument array before any request' {
        { Remove-RekFaceFromUser -CollectionId c1 -UserId alice -FaceId $faces.alice[0], $null -Force -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
        Get-EmulatorLog | Should -BeNullOrEmpty
    }

    It 'takes 10,000 IDs passed as one argument, in 100 requests' {
        $ids = 1..10000 | ForEach-Object { '{0:x8}-0000-4000-8000-{1:x12}' -f 7, $_ }
        $results = Remove-RekFaceFromUser -CollectionId c1 -UserId alice -FaceId $ids -Force
        $results | Should -HaveCount 10000
        @($results | Where-Object { $_.Reasons -contains 'FACE_NOT_FOUND' }) | Should -HaveCount 10000
        Get-EmulatorLog DisassociateFaces | Should -HaveCount 100
    }

    It 'accepts IDs with a trailing newline or CR, trimmed' {
        $results = "$($faces.alice[0])`r`n", "$($faces.alice[1])`n" | Remove-RekFaceFromUser -CollectionId c1 -UserId alice -Force
        $results.FaceId | Should -Be $faces.alice[0..1]
    }

    It 'trims IDs in an argument array (<Kind>) and leaves the caller''s array as it was' -ForEach @(
        @{ Kind = 'string[]' }, @{ Kind = 'object[]' }
    ) {
        $given = " $($faces.alice[0])`r", "$($faces.alice[1])"
        $ids = if ($Kind -eq 'string[]') { [string[]] $given } else { [object[]] $given }
        $results = Remove-RekFaceFromUser -CollectionId c1 -UserId alice -FaceId $ids -Force
        $results.FaceId | Should -Be $faces.alice[0..1]
        $ids[0] | Should -BeExactly " $($faces.alice[0])`r"
        (Get-EmulatorLog DisassociateFaces).FaceIds | Should -Be $faces.alice[0..1]
    }

    It 'refuses a -Region that is not a region name, saying where it came from, before any request' {
        $err = $null
        try { Remove-RekFaceFromUser -CollectionId c1 -UserId alice -FaceId $faces.alice[0] -Force -Region 'us east 1' -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'InvalidConfiguration,FaceTools.Commands.RemoveRekFaceFromUserCommand'
        $err.CategoryInfo.Category | Should -Be 'InvalidOperation'
        $err.Exception.Message | Should -Match "'us east 1' from -Region"
        Get-EmulatorLog | Should -BeNullOrEmpty
    }

    It 'rejects <Parameter> = <Shown> naming the parameter and the rule, before any request' -ForEach @(
        @{ Command = 'Remove-RekFaceFromUser'; Parameter = 'CollectionId'; Value = 'my/collection'; Shown = 'a slash'; Rule = 'a-z, A-Z, 0-9' }
        @{ Command = 'Remove-RekFaceFromUser'; Parameter = 'UserId'; Value = ('u' * 129); Shown = '129 characters'; Rule = '1 to 128 characters' }
        @{ Command = 'Remove-RekFaceFromUser'; Parameter = 'ClientRequestToken'; Value = ('t' * 65); Shown = '65 characters'; Rule = '1 to 64 characters' }
        @{ Command = 'Add-RekFaceToUser'; Parameter = 'UserMatchThreshold'; Value = 101; Shown = '101'; Rule = '100' }
        @{ Command = 'Add-RekFaceToUser'; Parameter = 'UserMatchThreshold'; Value = -1; Shown = '-1'; Rule = '0' }
        @{ Command = 'Remove-RekFaceFromUser'; Parameter = 'UserId'; Value = '   '; Shown = 'white space'; Rule = '' }
    ) {
        $arguments = @{ CollectionId = 'c1'; UserId = 'alice'; FaceId = $faces.alice[0]; Force = $true; ErrorAction = 'Stop' }
        $arguments[$Parameter] = $Value
        $err = $null
        try { & $Command @arguments } catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -BeLike "ParameterArgumentValidationError*,FaceTools.Commands.*"
        $err.Exception.Message | Should -Match "'$Parameter'"
        if ($Rule) { $err.Exception.Message | Should -Match ([regex]::Escape($Rule)) }
        Get-EmulatorLog | Should -BeNullOrEmpty
    }
}

Describe 'Security' {
    It 'warns that plain http to another host is unencrypted, before sending anything' {
        $warnings = Remove-RekFaceFromUser -CollectionId c1 -UserId alice -FaceId (New-RandomFaceId) -EndpointUrl 'http://rekognition.example.com' -WhatIf 3>&1 6>$null
        $warnings | Should -HaveCount 1
        "$($warnings[0])" | Should -Match 'unencrypted'
    }

    It 'does not warn for https or for this computer' -TestCases @(@{ Url = 'https://rekognition.example.com' }, @{ Url = 'http://127.0.0.1:9' }, @{ Url = 'http://localhost:9' }) {
        $warnings = Remove-RekFaceFromUser -CollectionId c1 -UserId alice -FaceId (New-RandomFaceId) -EndpointUrl $Url -WhatIf 3>&1 6>$null
        $warnings | Should -BeNullOrEmpty
    }

    It 'prints no secret at any verbosity, with $DebugPreference set, in errors or $Error' {
        $null = Invoke-RekEmulator $Emulator -Route reset
        $faces = New-TestFaces -Users @{ alice = 2 }
        $secret = Get-RekEmulatorSecretKey
        $profileFile = Join-Path $TestDrive 'credentials'
        Set-Content $profileFile "[admin]`naws_access_key_id = $(Get-RekEmulatorAccessKey)`naws_secret_access_key = $secret`n"
        $DebugPreference = 'Continue'; $VerbosePreference = 'Continue'
        try {
            $captured = @(
                $faces.alice | Remove-RekFaceFromUser -CollectionId c1 -UserId alice -Force -ProfileName admin -ProfileLocation $profileFile *>&1
                Remove-RekFaceFromUser -CollectionId c1 -UserId nobody -FaceId $faces.alice[0] -Force -ProfileName admin -ProfileLocation $profileFile *>&1
                Get-RekUser -CollectionId missing -ProfileName admin -ProfileLocation $profileFile *>&1
            )
        }
        finally { $DebugPreference = 'SilentlyContinue'; $VerbosePreference = 'SilentlyContinue' }
        $text = ($captured | Out-String) + ($captured | Format-List * -Force | Out-String) + ($Error | Format-List * -Force | Out-String) +
            ($Error | ForEach-Object { $_.Exception | Format-List * -Force | Out-String })
        $text | Should -Match 'ResourceNotFoundException'
        $text | Should -Not -Match ([regex]::Escape($secret))
        $text | Should -Not -Match 'Signature='
        $text | Should -Not -Match 'Credential=AKIA'
    }

    It 'prints no secret with AWSSDK.Core''s own logging turned on (requests, responses and metrics)' {
        $null = Invoke-RekEmulator $Emulator -Route reset
        $faces = New-TestFaces -Users @{ alice = 2 }
        $secret = Get-RekEmulatorSecretKey
        $token = 'session-token-' + [guid]::NewGuid().ToString('N')
        # AWSSDK.Core's logging switches are static, so reach them in a process without the load context.
        $lines = Invoke-FreshPwsh -PassThru -Environment ($EmulatorEnvironment + @{ FACETOOLS_DISABLE_ISOLATION = '1' }) -Command @"
Import-Module '$((Get-Module FaceTools).ModuleBase)'
`$null = Get-RekUser -CollectionId c1 -EndpointUrl '$Endpoint'
[Amazon.AWSConfigs]::LoggingConfig.LogTo = [Amazon.LoggingOptions]::SystemDiagnostics
[Amazon.AWSConfigs]::LoggingConfig.LogResponses = [Amazon.ResponseLoggingOption]::Always
[Amazon.AWSConfigs]::LoggingConfig.LogMetrics = `$true
`$log = [IO.StringWriter]::new()
`$listener = [Diagnostics.TextWriterTraceListener]::new(`$log)
[Amazon.AWSConfigs]::AddTraceListener('Amazon', `$listener)
`$null = '$($faces.alice -join "','")' | Remove-RekFaceFromUser -CollectionId c1 -UserId alice -Force -EndpointUrl '$Endpoint' -Verbose -Debug *>&1
try { `$null = Get-RekUser -CollectionId c1 -EndpointUrl '$Endpoint' -AccessKey '$(Get-RekEmulatorAccessKey)' -SecretKey 'wrong$secret' -SessionToken '$token' -ErrorAction Stop } catch { }
`$listener.Flush()
'LOG-START'
`$log.ToString()
(`$Error | Format-List * -Force | Out-String)
"@
        $text = $lines -join "`n"
        $text | Should -Match 'LOG-START'
        $text.Substring($text.IndexOf('LOG-START')).Length | Should -BeGreaterThan 200 -Because 'the SDK logged something'
        $text | Should -Not -Match ([regex]::Escape($secret))
        $text | Should -Not -Match $token
        $text | Should -Not -Match 'Signature='
    }

    It 'validates an https endpoint''s certificate, and sends nothing to one it cannot trust' {
        $rsa = [Security.Cryptography.RSA]::Create(2048)
        $request = [Security.Cryptography.X509Certificates.CertificateRequest]::new('CN=localhost', $rsa, 'SHA256', [Security.Cryptography.RSASignaturePadding]::Pkcs1)
        $selfSigned = $request.CreateSelfSigned([DateTimeOffset]::Now.AddDays(-1), [DateTimeOffset]::Now.AddDays(1))
        $certificate = [Security.Cryptography.X509Certificates.X509Certificate2]::new($selfSigned.Export('Pfx'))
        $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
        $listener.Start()
        $port = $listener.LocalEndpoint.Port
        $server = Start-ThreadJob -ArgumentList $listener, $certificate -ScriptBlock {
            param($listener, $certificate)
            $client = $listener.AcceptTcpClient()
            $ssl = [Net.Security.SslStream]::new($client.GetStream())
            try { $ssl.AuthenticateAsServer($certificate); $buffer = [byte[]]::new(16); "handshake completed; read $($ssl.Read($buffer, 0, 16)) bytes" }
            catch { 'handshake refused by the client' }
            finally { $client.Dispose() }
        }
        $env:AWS_MAX_ATTEMPTS = '1'
        try {
            $err = $null
            try { Get-RekUser -CollectionId c1 -EndpointUrl "https://localhost:$port" -ErrorAction Stop } catch { $err = $_ }
            $serverSaw = $server | Wait-Job -Timeout 30 | Receive-Job
        }
        finally { $env:AWS_MAX_ATTEMPTS = $null; $listener.Stop(); $server | Remove-Job -Force }

        $err.FullyQualifiedErrorId | Should -Be 'ConnectionFailure,FaceTools.Commands.GetRekUserCommand'
        $err.Exception.Message | Should -Match 'SSL|certificate'
        # With TLS 1.3 the server may finish its side before the client rejects the certificate;
        # either way not one byte of the request reached it.
        $serverSaw | Should -Match '^(handshake refused by the client|handshake completed; read 0 bytes)$'
    }

    It 'does not echo -SecretKey in errors about the credentials' {
        $secret = 'Secret' + [guid]::NewGuid().ToString('N')
        $err = $null
        try { Remove-RekFaceFromUser -CollectionId c1 -UserId alice -FaceId (New-RandomFaceId) -Force -SecretKey $secret -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'InvalidConfiguration,FaceTools.Commands.RemoveRekFaceFromUserCommand'
        ($err | Format-List * -Force | Out-String) + ($err.Exception | Format-List * -Force | Out-String) | Should -Not -Match $secret
    }
}
