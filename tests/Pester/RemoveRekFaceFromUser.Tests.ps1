BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
}

AfterAll {
    Stop-RekEmulator $Emulator
}

Describe 'Remove-RekFaceFromUser' {
    BeforeEach {
        $null = Invoke-RekEmulator $Emulator -Route reset
    }

    It 'disassociates one face and emits one typed result' {
        $faces = New-TestFaces -Users @{ alice = 2 }
        $result = Remove-RekFaceFromUser -CollectionId c1 -UserId alice -FaceId $faces.alice[0] -Force

        $result | Should -HaveCount 1
        $result | Should -BeOfType FaceTools.FaceDisassociationResult
        $result.Status | Should -Be 'Disassociated'
        $result.CollectionId | Should -Be 'c1'
        $result.UserId | Should -Be 'alice'
        $result.FaceId | Should -Be $faces.alice[0]
        $result.UserStatus | Should -Not -BeNullOrEmpty
        (Get-EmulatorFace c1 $faces.alice[0]).UserId | Should -BeNullOrEmpty
        (Get-EmulatorFace c1 $faces.alice[1]).UserId | Should -Be 'alice'
    }

    It 'sends 250 piped IDs as three requests of 100, 100 and 50' {
        $faces = New-TestFaces -Users @{ alice = 250 }
        $results = $faces.alice | Remove-RekFaceFromUser -CollectionId c1 -UserId alice -Force

        $results | Should -HaveCount 250
        @($results | Where-Object Status -eq 'Disassociated') | Should -HaveCount 250
        $requests = Get-EmulatorLog DisassociateFaces
        $requests | Should -HaveCount 3
        $requests.ForEach({ $_.FaceIds.Count }) | Should -Be @(100, 100, 50)
        @($requests.ClientRequestToken | Select-Object -Unique) | Should -HaveCount 3
    }

    It 'reports every outcome: disassociated, another user''s, not found and not associated' {
        $faces = New-TestFaces -Users @{ alice = 2; bob = 1 } -FreeFaces 1
        $missing = New-RandomFaceId
        $input = @($faces.alice) + $faces.bob + $faces.FreeFaceIds + $missing
        $results = $input | Remove-RekFaceFromUser -CollectionId c1 -UserId alice -Force

        $results | Should -HaveCount 5
        $byFace = @{}; foreach ($r in $results) { $byFace[$r.FaceId] = $r }
        $byFace[$faces.alice[0]].Status | Should -Be 'Disassociated'
        $byFace[$faces.bob[0]].Status | Should -Be 'Unsuccessful'
        $byFace[$faces.bob[0]].Reasons | Should -Be @('ASSOCIATED_TO_A_DIFFERENT_USER')
        $byFace[$faces.bob[0]].OwnerUserId | Should -Be 'bob'
        $byFace[$faces.bob[0]].UserId | Should -Be 'alice'
        $byFace[$missing].Status | Should -Be 'Unsuccessful'
        $byFace[$missing].Reasons | Should -Be @('FACE_NOT_FOUND')
        $byFace[$faces.FreeFaceIds[0]].Status | Should -Be 'NotAssociated'
        (Get-EmulatorFace c1 $faces.bob[0]).UserId | Should -Be 'bob'
    }

    It 'emits one object per distinct face when IDs repeat' {
        $faces = New-TestFaces -Users @{ alice = 3 }
        $input = @($faces.alice) + $faces.alice + $faces.alice[0]
        $results = $input | Remove-RekFaceFromUser -CollectionId c1 -UserId alice -Force

        $results | Should -HaveCount 3
        @($results.FaceId | Sort-Object -Unique) | Should -HaveCount 3
        (Get-EmulatorLog DisassociateFaces)[0].FaceIds | Should -HaveCount 3
    }

    It 'names the first 10 repeated IDs in -Verbose, then counts them all once' {
        $faces = New-TestFaces -Users @{ alice = 1 }
        $ids = @($faces.alice[0]) * 26
        $verbose = $ids | Remove-RekFaceFromUser -CollectionId c1 -UserId alice -Force -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }

        @($verbose | Where-Object Message -like '*was given more than once*') | Should -HaveCount 10
        @($verbose | Where-Object Message -like '25 face IDs in all were repeats*') | Should -HaveCount 1
    }

    It 'takes CollectionId, UserId and FaceId by property name from CSV rows for two users' {
        $faces = New-TestFaces -Users @{ alice = 3; bob = 2 }
        $csv = Join-Path $TestDrive 'faces.csv'
        @(
            $faces.alice | ForEach-Object { [pscustomobject]@{ CollectionId = 'c1'; UserId = 'alice'; FaceId = $_ } }
            $faces.bob | ForEach-Object { [pscustomobject]@{ CollectionId = 'c1'; UserId = 'bob'; FaceId = $_ } }
        ) | Export-Csv $csv

        $results = Import-Csv $csv | Remove-RekFaceFromUser -Force

        $results | Should -HaveCount 5
        @($results | Where-Object UserId -eq 'alice') | Should -HaveCount 3
        @($results | Where-Object UserId -eq 'bob') | Should -HaveCount 2
        @($results | Where-Object Status -ne 'Disassociated') | Should -HaveCount 0
        $requests = Get-EmulatorLog DisassociateFaces
        $requests | Should -HaveCount 2
        ($requests.UserId | Sort-Object) | Should -Be @('alice', 'bob')
    }

    It 'writes ResourceNotFoundException naming the faces for an unknown user, and goes on' {
        $faces = New-TestFaces -Users @{ alice = 1 }
        $records = @(
            [pscustomobject]@{ CollectionId = 'c1'; UserId = 'nobody'; FaceId = $faces.alice[0] }
            [pscustomobject]@{ CollectionId = 'c1'; UserId = 'alice'; FaceId = $faces.alice[0] }
        )
        $results = $records | Remove-RekFaceFromUser -Force -ErrorVariable failures -ErrorAction SilentlyContinue

        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'ResourceNotFoundException,FaceTools.Commands.RemoveRekFaceFromUserCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failures[0].TargetObject | Should -Be @($faces.alice[0])
        $failures[0].Exception.Message | Should -Not -BeNullOrEmpty
        $results | Should -HaveCount 1
        $results.Status | Should -Be 'Disassociated'
    }

    It 'stops with -ErrorAction Stop on a service error' {
        $faces = New-TestFaces -Users @{ alice = 1 }
        { Remove-RekFaceFromUser -CollectionId c1 -UserId nobody -FaceId $faces.alice[0] -Force -ErrorAction Stop } |
            Should -Throw -ErrorId 'ResourceNotFoundException,FaceTools.Commands.RemoveRekFaceFromUserCommand'
    }

    It '-ErrorAction Stop stops the whole script at a batch''s error, as it does for any cmdlet' {
        $shell = [powershell]::Create()
        try {
            $null = $shell.AddScript("Import-Module '$modulePath'; Remove-RekFaceFromUser -CollectionId c1 -UserId nobody -FaceId $(New-RandomFaceId) -Force -ErrorAction Stop -EndpointUrl '$Endpoint'; 'the next statement ran'")
            $output = $null
            $thrown = $null
            try { $output = $shell.Invoke() } catch { $thrown = $_.Exception.InnerException }
            $output | Should -BeNullOrEmpty
            $thrown.ErrorRecord.FullyQualifiedErrorId | Should -Be 'ResourceNotFoundException,FaceTools.Commands.RemoveRekFaceFromUserCommand'
        }
        finally { $shell.Dispose() }
    }

    It 'writes Reasons to CSV as the codes, and to JSON as a list' {
        $faces = New-TestFaces -Users @{ alice = 1; bob = 1 }
        $results = $faces.alice[0], $faces.bob[0] | Remove-RekFaceFromUser -CollectionId c1 -UserId alice -Force
        $refused = $results | Where-Object Status -eq Unsuccessful
        $refused.Reasons -contains 'ASSOCIATED_TO_A_DIFFERENT_USER' | Should -BeTrue
        $refused.Reasons.Count | Should -Be 1

        $csv = Join-Path $TestDrive 'needs-review.csv'
        $results | Where-Object Status -ne Disassociated | Export-Csv $csv
        (Import-Csv $csv).Reasons | Should -Be 'ASSOCIATED_TO_A_DIFFERENT_USER'
        (($refused | ConvertTo-Json) | ConvertFrom-Json).Reasons | Should -Be @('ASSOCIATED_TO_A_DIFFERENT_USER')
        ($results | Where-Object Status -eq Disassociated).Reasons.Count | Should -Be 0
    }

    It '-Force -Verbose names the faces of each batch, as ShouldProcess would without -Force' {
        $faces = New-TestFaces -Users @{ alice = 2 }
        $verbose = Remove-RekFaceFromUser -CollectionId c1 -UserId alice -FaceId $faces.alice -Force -Verbose 4>&1 | Where-Object { $_ -is [Management.Automation.VerboseRecord] }
        "$verbose" | Should -BeLike "*Performing the operation ""Disassociate faces from user"" on target ""2 face(s) of user 'alice' in collection 'c1'"": $($faces.alice[0]), $($faces.alice[1]).*"
    }

    It '-WhatIf sends nothing and emits nothing' {
        $faces = New-TestFaces -Users @{ alice = 150 }
        $results = $faces.alice | Remove-RekFaceFromUser -CollectionId c1 -UserId alice -WhatIf

        $results | Should -BeNullOrEmpty
        Get-EmulatorLog | Should -BeNullOrEmpty
        (Get-EmulatorFace c1 $faces.alice[0]).UserId | Should -Be 'alice'
    }

    It '-WhatIf names every face of each batch (PowerShell writes What if: to the host, so a fresh pwsh shows it)' {
        $ids = 1..105 | ForEach-Object { [guid]::NewGuid().ToString() }
        $lines = Invoke-FreshPwsh -PassThru -Environment $EmulatorEnvironment -Command @"
Import-Module '$((Get-Module FaceTools).ModuleBase)'
'$($ids -join "','")' | Remove-RekFaceFromUser -CollectionId c1 -UserId alice -WhatIf -EndpointUrl '$Endpoint'
"@
        $whatIf = @($lines | Where-Object { $_ -like 'What if:*' })
        $whatIf | Should -HaveCount 2
        $whatIf[0] | Should -BeLike "What if: Performing the operation ""Disassociate faces from user"" on target ""100 face(s) of user 'alice' in collection 'c1'"": $($ids[0]), *"
        $named = @($whatIf | ForEach-Object { [regex]::Matches($_, '[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}').Value })
        $named | Should -Be $ids
        Get-EmulatorLog | Should -BeNullOrEmpty
    }

    Context '-Force and confirmation' {
        BeforeAll {
            # A runspace with no host to ask through: any confirmation prompt is an error, never a wait for input.
            function Invoke-WithoutHost([string] $Script) {
                $shell = [powershell]::Create()
                try {
                    $null = $shell.AddScript("Import-Module '$modulePath'; `$PSDefaultParameterValues['*-Rek*:EndpointUrl'] = '$Endpoint'; $Script")
                    $output = $shell.Invoke()
                    [pscustomobject]@{ Output = @($output); Errors = @($shell.Streams.Error) }
                }
                finally { $shell.Dispose() }
            }
        }

        It '-Force sends without asking, also beside -WhatIf:$false and -Confirm:$false' {
            $faces = New-TestFaces -Users @{ alice = 3 }
            $cases = '-Force', '-Force -WhatIf:$false', '-Force -Confirm:$false'
            for ($i = 0; $i -lt $cases.Count; $i++) {
                $switches, $face = $cases[$i], $faces.alice[$i]
                $run = Invoke-WithoutHost "Remove-RekFaceFromUser -CollectionId c1 -UserId alice -FaceId $face $switches"
                $run.Errors | Should -BeNullOrEmpty -Because "$switches must not ask"
                $run.Output.Status | Should -Be 'Disassociated' -Because $switches
            }
            Get-EmulatorLog DisassociateFaces | Should -HaveCount 3
        }

        It '-Force keeps $WhatIfPreference: nothing is sent' {
            $faces = New-TestFaces -Users @{ alice = 2 }
            $run = Invoke-WithoutHost "`$WhatIfPreference = `$true; '$($faces.alice -join "','")' | Remove-RekFaceFromUser -CollectionId c1 -UserId alice -Force"

            $run.Errors | Should -BeNullOrEmpty
            $run.Output | Should -BeNullOrEmpty
            Get-EmulatorLog | Should -BeNullOrEmpty
            (Get-EmulatorFace c1 $faces.alice[0]).UserId | Should -Be 'alice'
        }

        It '-Force -Confirm still asks' {
            $faces = New-TestFaces -Users @{ alice = 1 }
            $run = Invoke-WithoutHost "Remove-RekFaceFromUser -CollectionId c1 -UserId alice -FaceId $($faces.alice[0]) -Force -Confirm"

            # The prompt was attempted: this runspace has no host to show it, so it fails and nothing is sent.
            $run.Errors.FullyQualifiedErrorId | Should -Be 'HostFunctionNotImplemented,FaceTools.Commands.RemoveRekFaceFromUserCommand'
            $run.Output | Should -BeNullOrEmpty
            Get-EmulatorLog | Should -BeNullOrEmpty
        }
    }

    It 'retries a throttled batch with the same token, then succeeds' {
        $faces = New-TestFaces -Users @{ alice = 5 }
        $null = Invoke-RekEmulator $Emulator -Route faults -Body @{ Rules = @(@{ Operation = 'DisassociateFaces'; Kind = 'Throttle'; Count = 1 }) }

        $results = $faces.alice | Remove-RekFaceFromUser -CollectionId c1 -UserId alice -Force

        @($results | Where-Object Status -eq 'Disassociated') | Should -HaveCount 5
        $requests = Get-EmulatorLog DisassociateFaces
        $requests | Should -HaveCount 2
        $requests[0].ErrorCode | Should -Be 'ThrottlingException'
        $requests[1].StatusCode | Should -Be 200
        $requests[1].ClientRequestToken | Should -Be $requests[0].ClientRequestToken
    }

    It 'retries after an InternalServerError (500) and a dropped connection' -TestCases @(
        @{ Kind = 'InternalError' }
        @{ Kind = 'Drop' }
    ) {
        $faces = New-TestFaces -Users @{ alice = 3 }
        $null = Invoke-RekEmulator $Emulator -Route faults -Body @{ Rules = @(@{ Operation = 'DisassociateFaces'; Kind = $Kind; Count = 1 }) }

        $results = $faces.alice | Remove-RekFaceFromUser -CollectionId c1 -UserId alice -Force

        @($results | Where-Object Status -eq 'Disassociated') | Should -HaveCount 3
        $requests = Get-EmulatorLog DisassociateFaces
        $requests | Should -HaveCount 2
        $requests[1].ClientRequestToken | Should -Be $requests[0].ClientRequestToken
    }

    It 'honours AWS_MAX_ATTEMPTS: with 1 attempt a throttle is an error naming the batch''s faces' {
        $faces = New-TestFaces -Users @{ alice = 2 }
        $null = Invoke-RekEmulator $Emulator -Route faults -Body @{ Rules = @(@{ Operation = 'DisassociateFaces'; Kind = 'Throttle'; Count = 1 }) }
        $env:AWS_MAX_ATTEMPTS = '1'
        try {
            $results = $faces.alice | Remove-RekFaceFromUser -CollectionId c1 -UserId alice -Force -ErrorVariable failures -ErrorAction SilentlyContinue
        }
        finally { $env:AWS_MAX_ATTEMPTS = $null }

        $results | Should -BeNullOrEmpty
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'ThrottlingException,*'
        $failures[0].CategoryInfo.Category | Should -Be 'LimitsExceeded'
        ($failures[0].TargetObject | Sort-Object) | Should -Be ($faces.alice | Sort-Object)
        Get-EmulatorLog DisassociateFaces | Should -HaveCount 1
    }

    It 'refuses a bad secret key with one request and a terminating error, and never prints the secret' {
        $faces = New-TestFaces -Users @{ alice = 150 }
        $secret = 'Wrong/Secret+Key' + [guid]::NewGuid().ToString('N')
        $err = $null
        $output = try {
            $faces.alice | Remove-RekFaceFromUser -CollectionId c1 -UserId alice -Force -AccessKey (Get-RekEmulatorAccessKey) -SecretKey $secret -Verbose -Debug *>&1
        }
        catch { $err = $_ }

        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -Be 'InvalidSignatureException,FaceTools.Commands.RemoveRekFaceFromUserCommand'
        $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $err.Exception.Message | Should -Match 'signature'
        # The failed batch's 100 faces, then those read but never sent: every face handed in, in order.
        $named = @($err.TargetObject)
        $named.Count | Should -BeGreaterOrEqual 100
        $named | Should -Be @($faces.alice | Select-Object -First $named.Count)
        Get-EmulatorLog DisassociateFaces | Should -HaveCount 1
        $everything = ($output | Out-String) + ($err | Format-List * -Force | Out-String) + ($err.Exception | Format-List * -Force | Out-String)
        $everything | Should -Not -Match ([regex]::Escape($secret))
    }

    It 'keeps secrets out of -Verbose, -Debug and error output' {
        $faces = New-TestFaces -Users @{ alice = 2 }
        $secret = Get-RekEmulatorSecretKey
        $token = 'session-token-value-' + [guid]::NewGuid().ToString('N')
        $err = $null
        $output = try {
            $faces.alice + 'not-a-face' | Remove-RekFaceFromUser -CollectionId c1 -UserId nobody -Force -AccessKey (Get-RekEmulatorAccessKey) -SecretKey $secret -SessionToken $token -Verbose -Debug -ErrorAction Continue *>&1
        }
        catch { $err = $_ }

        $err.FullyQualifiedErrorId | Should -BeLike 'UnrecognizedClientException,*'
        $text = ($output | Out-String) + ($err | Format-List * -Force | Out-String) + ($Error | Format-List * -Force | Out-String) + ($err.Exception | Format-List * -Force | Out-String)
        $text | Should -Match 'not-a-face'
        $text | Should -Not -Match ([regex]::Escape($secret))
        $text | Should -Not -Match $token
        $text | Should -Not -Match 'Signature='
    }

    It 'rejects invalid IDs in the pipeline with a clear error and still sends the valid ones' {
        $faces = New-TestFaces -Users @{ alice = 2 }
        $input = $faces.alice[0], 'NOT-A-FACE', $faces.alice[1].ToUpperInvariant(), "{$($faces.alice[1])}", $faces.alice[1]
        $results = $input | Remove-RekFaceFromUser -CollectionId c1 -UserId alice -Force -ErrorVariable failures -ErrorAction SilentlyContinue

        $results | Should -HaveCount 2
        @($results | Where-Object Status -eq 'Disassociated') | Should -HaveCount 2
        $failures | Should -HaveCount 3
        foreach ($failure in $failures) {
            $failure.FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentValidationError*'
            $failure.Exception.Message | Should -Match "parameter 'FaceId'"
            $failure.Exception.Message | Should -Match 'lower-case hexadecimal'
        }
        (Get-EmulatorLog DisassociateFaces).FaceIds | Should -HaveCount 2
    }

    It 'trims trailing white space and CR from IDs read from a CRLF file' {
        $faces = New-TestFaces -Users @{ alice = 2 }
        $file = Join-Path $TestDrive 'crlf.txt'
        [IO.File]::WriteAllText($file, ($faces.alice -join "`r`n") + "`r`n")
        $results = [IO.File]::ReadAllText($file) -split "`n" | Where-Object { $_ } | Remove-RekFaceFromUser -CollectionId c1 -UserId alice -Force

        $results | Should -HaveCount 2
        $results.FaceId | Should -Be $faces.alice
    }

    It 'validates CollectionId, UserId and ClientRequestToken before any request' -TestCases @(
        @{ Name = 'CollectionId'; Arguments = @{ CollectionId = 'bad/collection'; UserId = 'alice' } }
        @{ Name = 'UserId'; Arguments = @{ CollectionId = 'c1'; UserId = 'u' * 129 } }
        @{ Name = 'ClientRequestToken'; Arguments = @{ CollectionId = 'c1'; UserId = 'alice'; ClientRequestToken = 't' * 65 } }
    ) {
        { Remove-RekFaceFromUser @Arguments -FaceId (New-RandomFaceId) -Force -ErrorAction Stop } |
            Should -Throw -ErrorId "ParameterArgumentValidationError,FaceTools.Commands.RemoveRekFaceFromUserCommand"
        try { Remove-RekFaceFromUser @Arguments -FaceId (New-RandomFaceId) -Force -ErrorAction Stop } catch { $_.Exception.Message | Should -Match "'$Name'" }
        Get-EmulatorLog | Should -BeNullOrEmpty
    }

    It 'derives the same batch tokens from the same -ClientRequestToken, so a rerun is replayed' {
        $faces = New-TestFaces -Users @{ alice = 120 }
        $first = $faces.alice | Remove-RekFaceFromUser -CollectionId c1 -UserId alice -ClientRequestToken 'nightly-run-42' -Force
        $second = $faces.alice | Remove-RekFaceFromUser -CollectionId c1 -UserId alice -ClientRequestToken 'nightly-run-42' -Force

        $requests = Get-EmulatorLog DisassociateFaces
        $requests | Should -HaveCount 4
        $requests[2].ClientRequestToken | Should -Be $requests[0].ClientRequestToken
        $requests[3].ClientRequestToken | Should -Be $requests[1].ClientRequestToken
        $requests[0].ClientRequestToken | Should -Not -Be $requests[1].ClientRequestToken
        $requests[0].ClientRequestToken | Should -BeLike 'nightly-run-42-*'
        $requests[0].ClientRequestToken.Length | Should -BeLessOrEqual 64
        $requests[2].Replayed | Should -BeTrue
        @($second | Where-Object Status -eq 'Disassociated') | Should -HaveCount 120
        @($first | Where-Object Status -eq 'Disassociated') | Should -HaveCount 120
    }

    It 'fails with a clear terminating error when no region is configured' {
        $env:AWS_REGION = $null
        try {
            { Remove-RekFaceFromUser -CollectionId c1 -UserId alice -FaceId (New-RandomFaceId) -Force -ErrorAction Stop } |
                Should -Throw -ErrorId 'NoRegion,FaceTools.Commands.RemoveRekFaceFromUserCommand'
        }
        finally { $env:AWS_REGION = 'us-east-1' }
        Get-EmulatorLog | Should -BeNullOrEmpty
    }
}

Describe 'Piped objects (-InputObject)' {
    BeforeEach {
        $null = Invoke-RekEmulator $Emulator -Route reset
        $script:faces = New-TestFaces -Users @{ alice = 4; bob = 2; '42' = 1 }
    }

    It 'is the only parameter that takes pipeline input, in a parameter set of its own' {
        $command = Get-Command Remove-RekFaceFromUser
        @($command.Parameters.Values | Where-Object { $_.ParameterSets.Values | Where-Object { $_.ValueFromPipeline -or $_.ValueFromPipelineByPropertyName } }).Name | Should -Be 'InputObject'
        $command.DefaultParameterSet | Should -Be 'FaceId'
        ($command.ParameterSets | Where-Object Name -eq 'InputObject').Parameters.Where({ $_.Name -in 'CollectionId', 'UserId' }).IsMandatory | Should -Be @($false, $false)
    }

    It 'reads the properties by any case, trims them, converts a number to text and takes FaceIds lists' {
        $rows = @(
            [pscustomobject]@{ collectionid = ' c1 '; USERID = "alice`r"; faceid = " $($faces.alice[0])`r" }
            [pscustomobject]@{ CollectionId = 'c1'; UserId = 'bob'; FaceIds = [string[]] $faces.bob }
            [pscustomobject]@{ CollectionId = 'c1'; UserId = 42; FaceId = $faces['42'][0] }
        )
        $results = $rows | Remove-RekFaceFromUser -Force -ThrottleLimit 1

        $results.FaceId | Should -Be (@($faces.alice[0]) + $faces.bob + $faces['42'][0])
        $results.Status | Should -Be (@('Disassociated') * 4)
        $results.UserId | Should -Be @('alice', 'bob', 'bob', '42')
        (Get-EmulatorLog DisassociateFaces).UserId | Should -Be @('alice', 'bob', '42')
    }

    It 'lets -CollectionId and -UserId on the command line take the place of the objects'' properties' {
        $rows = $faces.alice[0..1] | ForEach-Object { [pscustomobject]@{ CollectionId = 'elsewhere'; UserId = 'bob'; FaceId = $_ } }
        $results = $rows | Remove-RekFaceFromUser -CollectionId c1 -UserId alice -Force

        @($results | Where-Object Status -eq 'Disassociated') | Should -HaveCount 2
        (Get-EmulatorLog DisassociateFaces).UserId | Should -Be 'alice'
    }

    It 'reads a collection given to -InputObject item by item, strings and objects alike' {
        $items = @($faces.alice[0], [pscustomobject]@{ FaceId = $faces.alice[1] })
        $results = Remove-RekFaceFromUser -InputObject $items -CollectionId c1 -UserId alice -Force

        $results.FaceId | Should -Be $faces.alice[0..1]
        $results.Status | Should -Be @('Disassociated', 'Disassociated')
    }

    It 'refuses an object without a UserId property, when -UserId is not given, naming its faces, and goes on' {
        $rows = @(
            [pscustomobject]@{ CollectionId = 'c1'; UserId = 'alice'; FaceId = $faces.alice[0] }
            [pscustomobject]@{ CollectionId = 'c1'; FaceIds = $faces.alice[1..2] }
            [pscustomobject]@{ CollectionId = 'c1'; UserId = 'alice'; FaceId = $faces.alice[3] }
        )
        $results = $rows | Remove-RekFaceFromUser -Force -ErrorVariable failures -ErrorAction SilentlyContinue

        $results.FaceId | Should -Be $faces.alice[0, 3]
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'InputObjectMissingMandatory,FaceTools.Commands.RemoveRekFaceFromUserCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failures[0].Exception.Message | Should -BeLike "*parameter 'UserId'*no UserId property*-UserId was not given*"
        $failures[0].TargetObject | Should -Be $faces.alice[1..2]
        (Get-EmulatorLog DisassociateFaces).FaceIds | Should -Be $faces.alice[0, 3]
    }

    It 'refuses face ID strings when -CollectionId is not given, before any request' {
        $results = $faces.alice[0..1] | Remove-RekFaceFromUser -UserId alice -Force -ErrorVariable failures -ErrorAction SilentlyContinue

        $results | Should -BeNullOrEmpty
        $failures.FullyQualifiedErrorId | Should -Be (@('InputObjectMissingMandatory,FaceTools.Commands.RemoveRekFaceFromUserCommand') * 2)
        $failures.TargetObject | Should -Be $faces.alice[0..1]
        Get-EmulatorLog | Should -BeNullOrEmpty
    }

    It 'stops at a refused object under -ErrorAction Stop, after the batch in flight, naming every face not answered' {
        $rows = @($faces.alice[0..2] | ForEach-Object { [pscustomobject]@{ CollectionId = 'c1'; UserId = 'alice'; FaceId = $_ } }) +
            [pscustomobject]@{ CollectionId = 'c1'; FaceId = $faces.bob[0] } +
            [pscustomobject]@{ CollectionId = 'c1'; UserId = 'bob'; FaceId = $faces.bob[1] }
        $err = $null
        $results = [Collections.Generic.List[object]]::new()
        try { $rows | Remove-RekFaceFromUser -Force -ErrorAction Stop | ForEach-Object { $results.Add($_) } } catch { $err = $_ }

        $err.FullyQualifiedErrorId | Should -Be 'InputObjectMissingMandatory,FaceTools.Commands.RemoveRekFaceFromUserCommand'
        $results | Should -HaveCount 0 -Because 'the batch of alice was open (not full) when the command stopped, so it was not sent'
        ($err.TargetObject | Sort-Object) | Should -Be (@($faces.bob[0]) + $faces.alice[0..2] | Sort-Object)
        Get-EmulatorLog DisassociateFaces | Should -BeNullOrEmpty
    }

    It 'refuses a list in UserId, a hashtable, an object without face properties and a failing property, each by name' -ForEach @(
        @{ Case = 'a list in UserId'; Make = { param($f) [pscustomobject]@{ CollectionId = 'c1'; UserId = @('alice', 'bob'); FaceId = $f } }; Parameter = 'UserId'; Text = '*UserId property holds a list*' }
        @{ Case = 'a hashtable'; Make = { param($f) @{ CollectionId = 'c1'; UserId = 'alice'; FaceId = $f } }; Parameter = 'FaceId'; Text = '*keys of a hashtable are not properties*' }
        @{ Case = 'no face property'; Make = { param($f) [pscustomobject]@{ CollectionId = 'c1'; UserId = 'alice'; Face = $f } }; Parameter = 'FaceId'; Text = 'FaceId is 75 characters long*no FaceId or FaceIds property, so it was read as a face ID itself.' }
        @{ Case = 'a failing property'; Make = { param($f) [pscustomobject]@{ CollectionId = 'c1'; FaceId = $f } | Add-Member -PassThru ScriptProperty UserId { throw 'no user here' } }; Parameter = 'UserId'; Text = '*Reading the input object''s UserId property failed: no user here*' }
    ) {
        $good = $faces.alice[0, 2] | ForEach-Object { [pscustomobject]@{ CollectionId = 'c1'; UserId = 'alice'; FaceId = $_ } }
        $results = @($good[0], (& $Make $faces.alice[1]), $good[1]) | Remove-RekFaceFromUser -Force -ErrorVariable failures -ErrorAction SilentlyContinue

        $results.FaceId | Should -Be $faces.alice[0, 2]
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'ParameterArgumentValidationError,FaceTools.Commands.RemoveRekFaceFromUserCommand'
        $failures[0].Exception.Message | Should -BeLike "Cannot validate argument on parameter '$Parameter'. $Text"
        (Get-EmulatorLog DisassociateFaces).FaceIds | Should -Be $faces.alice[0, 2]
    }

    It 'takes the results of Remove-RekFaceFromCollection, whose UserId names each face''s owner' {
        $deleted = $faces.alice[0..1] | Remove-RekFaceFromCollection -CollectionId c1 -Force -WarningAction SilentlyContinue
        $deleted.Status | Should -Be @('Unsuccessful', 'Unsuccessful')

        $results = $deleted | Remove-RekFaceFromUser -Force
        $results.UserId | Should -Be @('alice', 'alice')
        $results.Status | Should -Be @('Disassociated', 'Disassociated')
    }
}

Describe 'Collections given to -InputObject, at a stop' {
    BeforeEach {
        $null = Invoke-RekEmulator $Emulator -Route reset
        $script:faces = New-TestFaces -Users @{ alice = 4 }
    }

    It 'names the items not read yet of a collection (<Way>) in the error it stops at' -ForEach @(
        @{ Way = 'given to -InputObject' }, @{ Way = 'piped as one object' }
    ) {
        $items = @($faces.alice[0], 'not-a-face', $faces.alice[1], [pscustomobject]@{ FaceIds = $faces.alice[2..3] })
        $err = $null
        $results = @()
        try {
            $results = if ($Way -eq 'piped as one object') { , $items | Remove-RekFaceFromUser -CollectionId c1 -UserId alice -Force -ErrorAction Stop }
            else { Remove-RekFaceFromUser -InputObject $items -CollectionId c1 -UserId alice -Force -ErrorAction Stop }
        }
        catch { $err = $_ }

        $err.FullyQualifiedErrorId | Should -Be 'ParameterArgumentValidationError,FaceTools.Commands.RemoveRekFaceFromUserCommand'
        $results | Should -BeNullOrEmpty
        ($err.TargetObject | Sort-Object) | Should -Be (@('not-a-face') + $faces.alice | Sort-Object)
        Get-EmulatorLog DisassociateFaces | Should -BeNullOrEmpty
    }

    It 'accounts for every face of a long collection when a failed batch stops it: each in one result or in the error' {
        $ghost = 1..100 | ForEach-Object { [pscustomobject]@{ FaceId = New-RandomFaceId; UserId = 'ghost' } }
        $others = 1..1000 | ForEach-Object { [pscustomobject]@{ FaceId = New-RandomFaceId; UserId = "user$($_ % 7)" } }
        $null = Invoke-RekEmulator $Emulator -Route seed -Body @{ Collections = @(@{ CollectionId = 'c1'; Users = @(0..6 | ForEach-Object { @{ UserId = "user$_" } }) }) }
        $err = $null
        $results = [Collections.Generic.List[object]]::new()
        try { Remove-RekFaceFromUser -CollectionId c1 -InputObject (@($ghost) + $others) -Force -ThrottleLimit 2 -ErrorAction Stop | ForEach-Object { $results.Add($_) } }
        catch { $err = $_ }

        $err.FullyQualifiedErrorId | Should -Be 'ResourceNotFoundException,FaceTools.Commands.RemoveRekFaceFromUserCommand'
        $named = @($err.TargetObject)
        $named.Count + $results.Count | Should -Be 1100
        @(@($named) + @($results.FaceId) | Sort-Object -Unique).Count | Should -Be 1100
        ($named[0..99] | Sort-Object) | Should -Be ($ghost.FaceId | Sort-Object)
    }

    It 'reads CollectionId and UserId note properties of a piped string, as PowerShell''s binding did' {
        $id = $faces.alice[0] | Add-Member -NotePropertyName UserId -NotePropertyValue alice -PassThru |
            Add-Member -NotePropertyName CollectionId -NotePropertyValue c1 -PassThru
        $result = $id | Remove-RekFaceFromUser -Force

        $result.Status | Should -Be 'Disassociated'
        $result.UserId | Should -Be 'alice'
    }
}
