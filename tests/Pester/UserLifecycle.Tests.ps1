BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
}

AfterAll {
    Stop-RekEmulator $Emulator
}

Describe 'The user lifecycle' {
    BeforeEach {
        $null = Invoke-RekEmulator $Emulator -Route reset
    }

    Context 'Get-RekFace' {
        It 'lists a user''s faces as typed objects with every field' {
            $faces = New-TestFaces -Users @{ alice = 3; bob = 2 }
            $listed = Get-RekFace -CollectionId c1 -UserId alice

            $listed | Should -HaveCount 3
            $listed | Should -BeOfType FaceTools.RekFace
            ($listed.FaceId | Sort-Object) | Should -Be ($faces.alice | Sort-Object)
            $listed[0].CollectionId | Should -Be 'c1'
            $listed[0].UserId | Should -Be 'alice'
            $listed[0].ImageId | Should -Not -BeNullOrEmpty
            $listed[0].ExternalImageId | Should -Not -BeNullOrEmpty
            $listed[0].Confidence | Should -BeGreaterThan 0
            $listed[0].BoundingBox | Should -BeOfType FaceTools.BoundingBox
            $listed[0].BoundingBox.Width | Should -BeGreaterThan 0
            $listed[0].IndexFacesModelVersion | Should -Not -BeNullOrEmpty
        }

        It 'lists a collection of 2,500 faces completely across pages' {
            $null = New-TestFaces -FreeFaces 2500
            $listed = Get-RekFace -CollectionId c1

            $listed | Should -HaveCount 2500
            @($listed.FaceId | Sort-Object -Unique) | Should -HaveCount 2500
            (Get-EmulatorLog ListFaces).Count | Should -BeGreaterThan 1
        }

        It '-First 5 makes one ListFaces call; -Skip skips' {
            $null = New-TestFaces -FreeFaces 2500
            $first = Get-RekFace -CollectionId c1 -First 5
            $first | Should -HaveCount 5
            Get-EmulatorLog ListFaces | Should -HaveCount 1

            $skipped = Get-RekFace -CollectionId c1 -Skip 3 -First 2
            $skipped | Should -HaveCount 2
            $skipped[0].FaceId | Should -Be $first[3].FaceId
        }

        It '-Skip without -First skips and then lists everything' {
            $null = New-TestFaces -FreeFaces 1500
            $all = Get-RekFace -CollectionId c1
            $rest = Get-RekFace -CollectionId c1 -Skip 3
            $rest | Should -HaveCount 1497
            $rest[0].FaceId | Should -Be $all[3].FaceId
        }

        It '-IncludeTotalCount reports the total when the listing reached its end (<Case>), else an unknown total' -ForEach @(
            @{ Case = 'no -First'; Paging = @{}; Count = 3; Total = 'Total count: 3' }
            @{ Case = '-First equal to the count'; Paging = @{ First = 3 }; Count = 3; Total = 'Total count: 3' }
            @{ Case = '-Skip 1 -First 2 of 3'; Paging = @{ Skip = 1; First = 2 }; Count = 2; Total = 'Total count: 3' }
            @{ Case = '-First below the count'; Paging = @{ First = 2 }; Count = 2; Total = 'Unknown total count' }
        ) {
            $null = New-TestFaces -Users @{ alice = 3 }
            $output = @(Get-RekFace -CollectionId c1 -UserId alice -IncludeTotalCount @Paging)
            $faces = @($output | Where-Object { $_ -is [FaceTools.RekFace] })
            $counts = @($output | Where-Object { $_ -isnot [FaceTools.RekFace] })

            $faces | Should -HaveCount $Count
            $counts | Should -HaveCount 1
            $counts[0].ToString() | Should -Be $Total
        }

        It '-IncludeTotalCount reports an unknown total when the listing failed' {
            $output = @(Get-RekFace -CollectionId nope -IncludeTotalCount -ErrorAction SilentlyContinue -ErrorVariable failures)
            $failures | Should -HaveCount 1
            $output | Should -HaveCount 1
            $output[0].ToString() | Should -Be 'Unknown total count'
        }

        It 'reads credentials from -ProfileLocation alone (its default profile)' {
            $null = New-TestFaces -Users @{ alice = 1 }
            $file = Join-Path $TestDrive 'credentials'
            Set-Content $file "[default]`naws_access_key_id = $(Get-RekEmulatorAccessKey)`naws_secret_access_key = $(Get-RekEmulatorSecretKey)`n"
            $saved = $env:AWS_ACCESS_KEY_ID, $env:AWS_SECRET_ACCESS_KEY
            $env:AWS_ACCESS_KEY_ID = $null; $env:AWS_SECRET_ACCESS_KEY = $null
            try { (Get-RekFace -CollectionId c1 -ProfileLocation $file).UserId | Should -Be 'alice' }
            finally { $env:AWS_ACCESS_KEY_ID, $env:AWS_SECRET_ACCESS_KEY = $saved }
        }

        It 'reads a relative -ProfileLocation from PowerShell''s current location, not the process''s' {
            $null = New-TestFaces -Users @{ alice = 1 }
            $folder = New-Item -ItemType Directory (Join-Path $TestDrive 'relative')
            Set-Content (Join-Path $folder 'creds') "[admin]`naws_access_key_id = $(Get-RekEmulatorAccessKey)`naws_secret_access_key = $(Get-RekEmulatorSecretKey)`n"
            [Environment]::CurrentDirectory | Should -Not -Be $folder.FullName -Because 'the test needs the two locations apart'
            $saved = $env:AWS_ACCESS_KEY_ID, $env:AWS_SECRET_ACCESS_KEY
            $env:AWS_ACCESS_KEY_ID = $null; $env:AWS_SECRET_ACCESS_KEY = $null
            Push-Location $folder
            try { (Get-RekFace -CollectionId c1 -ProfileName admin -ProfileLocation ./creds).UserId | Should -Be 'alice' }
            finally { Pop-Location; $env:AWS_ACCESS_KEY_ID, $env:AWS_SECRET_ACCESS_KEY = $saved }
        }

        It 'refuses a -ProfileLocation outside the file system, naming the parameter, before any request' {
            { Get-RekFace -CollectionId c1 -ProfileName admin -ProfileLocation Env:/HOME -ErrorAction Stop } |
                Should -Throw -ErrorId 'InvalidConfiguration,FaceTools.Commands.GetRekFaceCommand' -ExpectedMessage "-ProfileLocation 'Env:/HOME' must name a file in the file system.*Environment*"
            Get-EmulatorLog | Should -BeNullOrEmpty
        }

        It 'refuses a -ProfileLocation that is a folder or no file, naming the parameter, before any request: <Case>' -ForEach @(
            @{ Case = 'a folder'; Path = { $TestDrive }; Why = 'It is a folder*' }
            @{ Case = 'a missing file'; Path = { Join-Path $TestDrive 'credentails-typo' }; Why = 'There is no such file.' }
        ) {
            $location = & $Path
            { Get-RekFace -CollectionId c1 -ProfileName admin -ProfileLocation $location -ErrorAction Stop } |
                Should -Throw -ErrorId 'InvalidConfiguration,FaceTools.Commands.GetRekFaceCommand' -ExpectedMessage "-ProfileLocation '$location' must name a file in the file system. $Why"
            Get-EmulatorLog | Should -BeNullOrEmpty
        }

        It 'reads a -ProfileLocation as PowerShell''s completion escapes it, and ~ as the home folder wherever the current location is' -Skip:$IsWindows {
            $null = New-TestFaces -Users @{ alice = 1 }
            $home2 = New-Item -ItemType Directory (Join-Path $TestDrive 'home') -Force
            Set-Content -LiteralPath (Join-Path $home2 'cr[1]') "[admin]`naws_access_key_id = $(Get-RekEmulatorAccessKey)`naws_secret_access_key = $(Get-RekEmulatorSecretKey)`n"
            $saved = $env:AWS_ACCESS_KEY_ID, $env:AWS_SECRET_ACCESS_KEY, $env:HOME
            $env:AWS_ACCESS_KEY_ID = $null; $env:AWS_SECRET_ACCESS_KEY = $null; $env:HOME = $home2.FullName
            Push-Location Env:
            try {
                (Get-RekFace -CollectionId c1 -ProfileName admin -ProfileLocation '~/cr[1]').UserId | Should -Be 'alice'
                (Get-RekFace -CollectionId c1 -ProfileName admin -ProfileLocation (Join-Path $home2 'cr`[1`]')).UserId | Should -Be 'alice'
            }
            finally { Pop-Location; $env:AWS_ACCESS_KEY_ID, $env:AWS_SECRET_ACCESS_KEY, $env:HOME = $saved }
        }

        It 'filters by -FaceId' {
            $faces = New-TestFaces -Users @{ alice = 3 }
            $listed = Get-RekFace -CollectionId c1 -FaceId $faces.alice[1]
            $listed.FaceId | Should -Be $faces.alice[1]
        }

        It 'reports an unknown collection as ResourceNotFoundException' {
            { Get-RekFace -CollectionId nope -ErrorAction Stop } | Should -Throw -ErrorId 'ResourceNotFoundException,FaceTools.Commands.GetRekFaceCommand'
        }
    }

    Context 'Get-RekUser' {
        It 'lists every user, and filters with wildcards' {
            $null = New-TestFaces -Users @{ alice = 1; bob = 1; bert = 0 }
            $all = Get-RekUser -CollectionId c1
            ($all.UserId | Sort-Object) | Should -Be @('alice', 'bert', 'bob')
            $all | Should -BeOfType FaceTools.RekUser
            $all[0].CollectionId | Should -Be 'c1'
            $all[0].UserStatus | Should -Not -BeNullOrEmpty

            (Get-RekUser -CollectionId c1 -UserId b* | Sort-Object UserId).UserId | Should -Be @('bert', 'bob')
        }

        It 'writes UserNotFound for a literal name that matches nothing' {
            $null = New-TestFaces -Users @{ alice = 1 }
            $found = Get-RekUser -CollectionId c1 -UserId alice, zed -ErrorVariable failures -ErrorAction SilentlyContinue
            $found.UserId | Should -Be 'alice'
            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -Be 'UserNotFound,FaceTools.Commands.GetRekUserCommand'
            $failures[0].TargetObject | Should -Be 'zed'
        }

        It 'matches a name without wildcards exactly (IDs are case-sensitive) and a pattern ignoring case' {
            $null = New-TestFaces -Users @{ alice = 0; bob = 0 }
            $null = Register-RekUser -CollectionId c1 -UserId Alice
            (Get-RekUser -CollectionId c1 -UserId alice).UserId | Should -BeExactly 'alice'
            $missing = Get-RekUser -CollectionId c1 -UserId ALICE -ErrorVariable failures -ErrorAction SilentlyContinue
            $missing | Should -BeNullOrEmpty
            $failures[0].FullyQualifiedErrorId | Should -Be 'UserNotFound,FaceTools.Commands.GetRekUserCommand'
            $matched = @((Get-RekUser -CollectionId c1 -UserId ALI*).UserId)
            $matched | Should -HaveCount 2
            $matched -ccontains 'alice' | Should -BeTrue
            $matched -ccontains 'Alice' | Should -BeTrue
        }

        It 'pages through many users' {
            $users = @{}; 1..650 | ForEach-Object { $users["user$_"] = 0 }
            $null = New-TestFaces -Users $users
            (Get-RekUser -CollectionId c1) | Should -HaveCount 650
            (Get-EmulatorLog ListUsers).Count | Should -BeGreaterThan 1
        }
    }

    Context 'Pipelines' {
        It 'Get-RekFace | Remove-RekFaceFromUser -Force removes all of a user''s faces' {
            $faces = New-TestFaces -Users @{ alice = 120; bob = 2 }
            $results = Get-RekFace -CollectionId c1 -UserId alice | Remove-RekFaceFromUser -Force

            $results | Should -HaveCount 120
            @($results | Where-Object Status -eq 'Disassociated') | Should -HaveCount 120
            Get-RekFace -CollectionId c1 -UserId alice | Should -BeNullOrEmpty
            Get-RekFace -CollectionId c1 -UserId bob | Should -HaveCount 2
        }

        It 'acts once on a user that many piped faces name: Get-RekUser, Unregister-RekUser, Register-RekUser' {
            $null = New-TestFaces -Users @{ alice = 5; bob = 2 }
            $users = Get-RekFace -CollectionId c1 -UserId alice | Get-RekUser
            $users.UserId | Should -Be 'alice'
            Get-EmulatorLog ListUsers | Should -HaveCount 1 -Because 'the later faces name a user already written'

            Get-RekFace -CollectionId c1 -UserId alice | Unregister-RekUser -Force -ErrorVariable failures
            $failures | Should -BeNullOrEmpty
            Get-EmulatorLog DeleteUser | Should -HaveCount 1
            (Get-RekUser -CollectionId c1).UserId | Should -Be 'bob'

            $created = Register-RekUser -CollectionId c1 -UserId carol, carol -ErrorVariable failures
            $created | Should -HaveCount 1
            $failures | Should -BeNullOrEmpty
            Get-EmulatorLog CreateUser | Should -HaveCount 1
        }

        It 'takes collection IDs piped as strings, and the user as the second position' {
            $null = New-TestFaces -Users @{ alice = 2; bob = 1 }
            ('c1' | Get-RekUser | Sort-Object UserId).UserId | Should -Be @('alice', 'bob')
            ('c1' | Get-RekFace) | Should -HaveCount 3
            (Get-RekFace c1 alice) | Should -HaveCount 2
        }

        It 'Get-RekUser | Get-RekFace lists the faces of every user' {
            $null = New-TestFaces -Users @{ alice = 3; bob = 2 } -FreeFaces 4
            $faces = Get-RekUser -CollectionId c1 | Get-RekFace
            $faces | Should -HaveCount 5
            ($faces.UserId | Sort-Object -Unique) | Should -Be @('alice', 'bob')
        }

        It 'a removal and re-association round trip restores the user exactly' {
            $faces = New-TestFaces -Users @{ alice = 7 }
            $before = (Get-RekFace -CollectionId c1 -UserId alice).FaceId | Sort-Object

            $restored = Get-RekFace -CollectionId c1 -UserId alice |
                Remove-RekFaceFromUser -Force |
                Where-Object Status -eq Disassociated |
                Add-RekFaceToUser -Force

            $restored | Should -HaveCount 7
            $restored | Should -BeOfType FaceTools.FaceAssociationResult
            @($restored | Where-Object Status -eq 'Associated') | Should -HaveCount 7
            (Get-RekFace -CollectionId c1 -UserId alice).FaceId | Sort-Object | Should -Be $before
        }

        It 'registers users from the pipeline, then unregisters those matching a wildcard' {
            $null = Invoke-RekEmulator $Emulator -Route seed -Body @{ Collections = @(@{ CollectionId = 'c1' }) }
            $created = 'bob', 'carol', 'bert' | Register-RekUser -CollectionId c1
            $created | Should -HaveCount 3
            $created | Should -BeOfType FaceTools.RekUser
            $created[0].CollectionId | Should -Be 'c1'

            Get-RekUser -CollectionId c1 -UserId b* | Unregister-RekUser -Force
            (Get-RekUser -CollectionId c1).UserId | Should -Be @('carol')
        }
    }

    Context 'Add-RekFaceToUser' {
        It 'reports Associated, AlreadyAssociated and Unsuccessful faces' {
            $faces = New-TestFaces -Users @{ alice = 1; bob = 1 } -FreeFaces 1
            $missing = New-RandomFaceId
            $results = @($faces.alice) + $faces.bob + $faces.FreeFaceIds + $missing | Add-RekFaceToUser -CollectionId c1 -UserId alice -UserMatchThreshold 0 -Force
            $byFace = @{}; foreach ($r in $results) { $byFace[$r.FaceId] = $r }

            $results | Should -HaveCount 4
            $byFace[$faces.alice[0]].Status | Should -Be 'AlreadyAssociated'
            $byFace[$faces.FreeFaceIds[0]].Status | Should -Be 'Associated'
            $byFace[$faces.bob[0]].Status | Should -Be 'Unsuccessful'
            $byFace[$faces.bob[0]].Reasons | Should -Be @('ASSOCIATED_TO_A_DIFFERENT_USER')
            $byFace[$faces.bob[0]].OwnerUserId | Should -Be 'bob'
            $byFace[$missing].Reasons | Should -Be @('FACE_NOT_FOUND')
        }

        It 'reports faces past the 100-face limit of a user as an error naming them, never dropping one' {
            $faces = New-TestFaces -Users @{ alice = 99 } -FreeFaces 3
            $results = $faces.FreeFaceIds | Add-RekFaceToUser -CollectionId c1 -UserId alice -UserMatchThreshold 0 -Force -ErrorVariable failures -ErrorAction SilentlyContinue

            # The emulator, like the service for its quotas, refuses the whole request.
            $results | Should -BeNullOrEmpty
            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -Be 'ServiceQuotaExceededException,FaceTools.Commands.AddRekFaceToUserCommand'
            $failures[0].CategoryInfo.Category | Should -Be 'QuotaExceeded'
            ($failures[0].TargetObject | Sort-Object) | Should -Be ($faces.FreeFaceIds | Sort-Object)
            @(Get-RekFace -CollectionId c1 -UserId alice) | Should -HaveCount 99
        }

        It 'validates -UserMatchThreshold before any request' -TestCases @(@{ Value = 101 }, @{ Value = -1 }) {
            { Add-RekFaceToUser -CollectionId c1 -UserId alice -FaceId (New-RandomFaceId) -UserMatchThreshold $Value -Force -ErrorAction Stop } |
                Should -Throw -ErrorId 'ParameterArgumentValidationError,FaceTools.Commands.AddRekFaceToUserCommand'
            Get-EmulatorLog | Should -BeNullOrEmpty
        }
    }

    Context 'Register-RekUser and Unregister-RekUser' {
        It 'reports an existing user as ConflictException in the ResourceExists category and goes on' {
            $null = New-TestFaces -Users @{ alice = 0 }
            $created = 'alice', 'dora' | Register-RekUser -CollectionId c1 -ErrorVariable failures -ErrorAction SilentlyContinue
            $created.UserId | Should -Be 'dora'
            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -Be 'ConflictException,FaceTools.Commands.RegisterRekUserCommand'
            $failures[0].CategoryInfo.Category | Should -Be 'ResourceExists'
            $failures[0].ErrorDetails.RecommendedAction | Should -BeLike "Use the existing user (Get-RekUser -CollectionId 'c1'*"
            $failures[0].TargetObject | Should -Be 'alice'
        }

        It 'reports another ConflictException (a change to the user under way) as ResourceBusy, without the existing-user advice' {
            $null = Invoke-RekEmulator $Emulator -Route seed -Body @{ Collections = @(@{ CollectionId = 'c1' }) }
            $null = Invoke-RekEmulator $Emulator -Route faults -Body @{ Seed = 1; Rules = @(@{ Operation = 'CreateUser'; Kind = 'Conflict'; Count = 1 }) }
            $null = Register-RekUser -CollectionId c1 -UserId erin -ErrorVariable failures -ErrorAction SilentlyContinue
            $failures[0].FullyQualifiedErrorId | Should -Be 'ConflictException,FaceTools.Commands.RegisterRekUserCommand'
            $failures[0].CategoryInfo.Category | Should -Be 'ResourceBusy'
            "$($failures[0].ErrorDetails.RecommendedAction)" | Should -Not -BeLike '*existing user*'
        }

        It 'derives per-user tokens from -ClientRequestToken so a rerun is replayed, not a conflict' {
            $null = Invoke-RekEmulator $Emulator -Route seed -Body @{ Collections = @(@{ CollectionId = 'c1' }) }
            $null = 'erin', 'fay' | Register-RekUser -CollectionId c1 -ClientRequestToken 'setup-1'
            $again = 'erin', 'fay' | Register-RekUser -CollectionId c1 -ClientRequestToken 'setup-1' -ErrorVariable failures
            $failures | Should -BeNullOrEmpty
            $again | Should -HaveCount 2
            $log = Get-EmulatorLog CreateUser
            $log[2].ClientRequestToken | Should -Be $log[0].ClientRequestToken
            $log[0].ClientRequestToken | Should -Not -Be $log[1].ClientRequestToken
        }

        It 'Unregister-RekUser asks for confirmation (ConfirmImpact High) and -WhatIf deletes nothing' {
            $null = New-TestFaces -Users @{ alice = 1 }
            (Get-Command Unregister-RekUser).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false).ConfirmImpact | Should -Be 'High'
            Unregister-RekUser -CollectionId c1 -UserId alice -WhatIf
            Get-EmulatorLog DeleteUser | Should -BeNullOrEmpty
            (Get-RekUser -CollectionId c1).UserId | Should -Be 'alice'
        }

        It 'Unregister-RekUser -Force deletes nothing under $WhatIfPreference' {
            $null = New-TestFaces -Users @{ alice = 1 }
            $WhatIfPreference = $true
            Unregister-RekUser -CollectionId c1 -UserId alice -Force
            $WhatIfPreference = $false
            Get-EmulatorLog DeleteUser | Should -BeNullOrEmpty
            (Get-RekUser -CollectionId c1).UserId | Should -Be 'alice'
        }

        It 'reports a missing user as ResourceNotFoundException' {
            $null = Invoke-RekEmulator $Emulator -Route seed -Body @{ Collections = @(@{ CollectionId = 'c1' }) }
            { Unregister-RekUser -CollectionId c1 -UserId ghost -Force -ErrorAction Stop } |
                Should -Throw -ErrorId 'ResourceNotFoundException,FaceTools.Commands.UnregisterRekUserCommand'
        }
    }

    Context 'Names' {
        It 'no exported command collides with AWS.Tools.Rekognition''s names' {
            $peer = 'Add-REKREKFacesToUser', 'Remove-REKREKFacesFromUser', 'New-REKUser', 'Remove-REKUser', 'Get-REKUserList',
                'Get-REKFaceList', 'Remove-REKFace', 'Add-REKDetectedFacesToCollection', 'Search-REKUser', 'Search-REKUsersByImage',
                'New-REKCollection', 'Get-REKCollectionIdList', 'Get-REKCollection', 'Remove-REKCollection'
            $ours = (Get-Command -Module FaceTools).Name
            $ours | Should -Not -BeNullOrEmpty
            foreach ($name in $ours) { $peer -contains $name | Should -BeFalse -Because "$name is AWS.Tools.Rekognition's" }
        }
    }
}
