BeforeDiscovery {
    $modulePath = if ($env:FACETOOLS_MODULE_PATH) { $env:FACETOOLS_MODULE_PATH } else { Join-Path $PSScriptRoot '../../out/FaceTools' }
    Import-Module $modulePath -Force
    $outputTypes = Get-Command -Module FaceTools | ForEach-Object { $_.OutputType.Type } | Where-Object { $_ -and $_ -ne [void] } |
        Sort-Object FullName -Unique | ForEach-Object { @{ TypeName = $_.FullName } }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
}

AfterAll {
    Stop-RekEmulator $Emulator
}

Describe 'Formatting' {
    It 'has a table view for <TypeName>' -ForEach $outputTypes {
        $view = Get-FormatData -TypeName $TypeName
        $view | Should -Not -BeNullOrEmpty
        $view.FormatViewDefinition.Control | Where-Object { $_ -is [System.Management.Automation.TableControl] } | Should -Not -BeNullOrEmpty
    }

    It 'shows results grouped by user, as a table of FaceId, Status, OwnerUserId and Reasons, and keeps every property' {
        $null = Invoke-RekEmulator $Emulator -Route reset
        $faces = New-TestFaces -Users @{ alice = 1; bob = 1 }
        $results = $faces.alice + $faces.bob | Remove-RekFaceFromUser -CollectionId c1 -UserId alice -Force

        $table = $results | Format-Table | Out-String -Width 120
        $table | Should -Match 'UserId: alice \(collection c1\)'
        $table | Should -Match 'FaceId\s+Status\s+OwnerUserId\s+Reasons'
        $table | Should -Match 'ASSOCIATED_TO_A_DIFFERENT_USER' -Because 'the longest reason code fits a 120-column window whole'
        $narrow = $results | Format-Table | Out-String -Width 80
        $narrow | Should -Match 'FaceId\s+Status\s+OwnerUserId\s+Reasons' -Because 'an 80-column window still says whose each face is, and why'
        $narrow | Should -Match "$($faces.bob[0])\s+Unsuccessful\s+bob\s+ASSOCIATED"

        $json = $results | ConvertTo-Json | ConvertFrom-Json
        $json[0].PSObject.Properties.Name | Should -Contain 'UserStatus'
        $json[0].PSObject.Properties.Name | Should -Contain 'CollectionId'
        $csv = Join-Path $TestDrive 'results.csv'
        $results | Export-Csv $csv
        $rows = Import-Csv $csv
        $rows | Should -HaveCount 2
        $rows[0].Status | Should -BeIn 'Disassociated', 'Unsuccessful'
    }
    It 'groups the faces of several collections by CollectionId' {
        $null = Invoke-RekEmulator $Emulator -Route reset
        $null = New-TestFaces -CollectionId 'c1' -Users @{ alice = 1 }
        $null = New-TestFaces -CollectionId 'c2' -FreeFaces 1
        $table = Get-RekFaceCollection | Get-RekFace | Out-String -Width 120
        $table | Should -Match 'CollectionId: c1(?s:.*)CollectionId: c2'
    }
}

Describe 'Tab completion' {
    BeforeAll {
        $null = Invoke-RekEmulator $Emulator -Route reset
        $null = New-TestFaces -CollectionId 'employees' -Users @{ alice = 1; albert = 1; bob = 1 }
        $null = New-TestFaces -CollectionId 'contractors'
        [FaceTools.Completion.ServiceCompleter]::ClearCache()

        function Complete([string] $line) {
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        }
    }

    It 'completes -CollectionId from ListCollections' {
        Complete "Get-RekUser -EndpointUrl $Endpoint -CollectionId " | Should -Be @('contractors', 'employees')
        Complete "Get-RekUser -EndpointUrl $Endpoint -CollectionId emp" | Should -Be @('employees')
    }

    It 'completes -UserId from ListUsers of the collection already typed' {
        Complete "Remove-RekFaceFromUser -EndpointUrl $Endpoint -CollectionId employees -UserId al" | Should -Be @('albert', 'alice')
        Complete "Get-RekFace -EndpointUrl $Endpoint -CollectionId employees -UserId " | Should -Be @('albert', 'alice', 'bob')
    }

    It 'caches the lists briefly' {
        [FaceTools.Completion.ServiceCompleter]::ClearCache()
        $null = Invoke-RekEmulator $Emulator -Route reset -Body $null
        $null = New-TestFaces -CollectionId 'employees' -Users @{ alice = 1 }
        $before = @(Get-EmulatorLog ListUsers).Count
        $null = Complete "Get-RekUser -EndpointUrl $Endpoint -CollectionId employees -UserId "
        $null = Complete "Get-RekUser -EndpointUrl $Endpoint -CollectionId employees -UserId a"
        @(Get-EmulatorLog ListUsers).Count | Should -Be ($before + 1)
    }

    It 'completes -Region from the regions AWSSDK.Core knows, with their names as tooltips' {
        $line = 'Get-RekUser -Region eu-w'
        $found = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches
        $found.CompletionText | Should -Be @('eu-west-1', 'eu-west-2', 'eu-west-3')
        $found[0].ToolTip | Should -Be 'Europe (Ireland)'
        Complete 'Remove-RekFaceFromUser -Region us-east-' | Should -Be @('us-east-1', 'us-east-2')
        Complete 'Get-RekUser -Region nowhere' | Should -BeNullOrEmpty
    }

    Context '-ProfileName' {
        BeforeAll {
            $folder = New-Item -ItemType Directory (Join-Path $TestDrive 'profiles') -Force
            Set-Content (Join-Path $folder 'credentials') "[default]`naws_access_key_id = AKIADEFAULTKEY`naws_secret_access_key = default-secret`n[dev team]`naws_access_key_id = AKIADEVKEY`naws_secret_access_key = dev-secret`n"
            Set-Content (Join-Path $folder 'other') "[ops]`naws_access_key_id = AKIAOPSKEY`naws_secret_access_key = ops-secret`n"
            $savedFile = $env:AWS_SHARED_CREDENTIALS_FILE
            $env:AWS_SHARED_CREDENTIALS_FILE = Join-Path $folder 'credentials'
        }
        AfterAll { $env:AWS_SHARED_CREDENTIALS_FILE = $savedFile }

        It 'completes profile names from the shared credentials file, quoting names with spaces, and shows no key' {
            $line = 'Get-RekUser -ProfileName '
            $found = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches
            $found.CompletionText | Should -Be @('default', "'dev team'")
            ($found.ToolTip + $found.ListItemText) -join ' ' | Should -Not -Match 'AKIA|secret'
            Complete 'Get-RekUser -ProfileName dev' | Should -Be @("'dev team'")
        }

        It 'completes from the -ProfileLocation already typed, relative to the current location' {
            Push-Location $folder
            try { Complete 'Get-RekUser -ProfileLocation ./other -ProfileName ' | Should -Be @('ops') }
            finally { Pop-Location }
        }

        It 'quotes every name PowerShell would not take bare, so the completed line runs nothing else: <Name>' -ForEach @(
            @{ Name = 'a&b' }, @{ Name = 'x|y' }, @{ Name = "it$([char]0x2019)s" }, @{ Name = '-dash' }, @{ Name = 'semi;colon' }, @{ Name = 'plain.name-1' }
        ) {
            $file = Join-Path $folder 'odd'
            Set-Content $file "[$Name]`naws_access_key_id = AKIAODDKEY`naws_secret_access_key = odd-secret`n"
            $text = Complete "Get-RekUser -ProfileLocation '$file' -ProfileName "
            $text | Should -HaveCount 1
            $errors = $null
            $ast = [Management.Automation.Language.Parser]::ParseInput("Get-RekUser -ProfileName $text", [ref] $null, [ref] $errors)
            $errors | Should -BeNullOrEmpty
            $elements = $ast.EndBlock.Statements[0].PipelineElements
            $elements | Should -HaveCount 1 -Because 'the name must not end the command or start another'
            $elements[0].CommandElements[2].SafeGetValue() | Should -BeExactly $Name
        }

        It 'completes from the -ProfileLocation that $PSDefaultParameterValues gives the command' {
            $PSDefaultParameterValues['Get-RekUser:ProfileLocation'] = Join-Path $folder 'other'
            try { Complete 'Get-RekUser -ProfileName ' | Should -Be @('ops') }
            finally { $PSDefaultParameterValues.Remove('Get-RekUser:ProfileLocation') }
            Complete 'Get-RekUser -ProfileName ' | Should -Be @('default', "'dev team'")
        }

        It 'gives up on a file that cannot be read, and keeps the prompt: a named pipe with no writer' -Skip:(-not (Get-Command mkfifo -ErrorAction Ignore)) {
            $fifo = Join-Path $TestDrive 'fifo'
            & mkfifo $fifo
            $shell = [powershell]::Create()
            try {
                $line = "Get-RekUser -ProfileLocation '$fifo' -ProfileName "
                $null = $shell.AddScript("Import-Module '$((Get-Module FaceTools).ModuleBase)'; (TabExpansion2 -inputScript `"$line`" -cursorColumn $($line.Length)).CompletionMatches.Count")
                $handle = $shell.BeginInvoke()
                $handle.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds(30)) | Should -BeTrue -Because 'completion must come back, with nothing'
                $shell.EndInvoke($handle) | Should -Be 0
            }
            finally {
                # The reader given up on still blocks a pool thread of this process: a writer that comes and goes
                # frees it (opening a pipe read-write never blocks).
                1..3 | ForEach-Object { [IO.FileStream]::new($fifo, 'Open', 'ReadWrite').Dispose(); Start-Sleep -Milliseconds 100 }
                $shell.Dispose()
            }
        }

        It 'completes nothing and prints nothing for a -ProfileLocation that is not there' {
            $output = & { Complete "Get-RekUser -ProfileLocation '$(Join-Path $folder 'none')' -ProfileName " } *>&1
            $output | Should -BeNullOrEmpty
        }
    }

    It 'completes nothing and prints nothing when the service cannot be reached' {
        $output = & { Complete 'Get-RekUser -EndpointUrl http://127.0.0.1:9 -CollectionId ' } *>&1
        $output | Should -BeNullOrEmpty
    }

    It 'completes nothing without credentials' {
        $saved = $env:AWS_ACCESS_KEY_ID, $env:AWS_SECRET_ACCESS_KEY
        $env:AWS_ACCESS_KEY_ID = $null; $env:AWS_SECRET_ACCESS_KEY = $null
        $savedFiles = $env:AWS_SHARED_CREDENTIALS_FILE, $env:AWS_CONFIG_FILE
        $env:AWS_SHARED_CREDENTIALS_FILE = Join-Path $TestDrive 'none'; $env:AWS_CONFIG_FILE = Join-Path $TestDrive 'none'
        try {
            [FaceTools.Completion.ServiceCompleter]::ClearCache()
            $output = & { Complete "Get-RekUser -EndpointUrl $Endpoint -CollectionId " } *>&1
            $output | Should -BeNullOrEmpty
        }
        finally {
            $env:AWS_ACCESS_KEY_ID, $env:AWS_SECRET_ACCESS_KEY = $saved
            $env:AWS_SHARED_CREDENTIALS_FILE, $env:AWS_CONFIG_FILE = $savedFiles
        }
    }
}

Describe 'Progress' {
    BeforeEach {
        $null = Invoke-RekEmulator $Emulator -Route reset
    }

    It 'shows progress for a long pipeline, with faces, batches and the current user' {
        $faces = New-TestFaces -Users @{ u1 = 100; u2 = 100; u3 = 100; u4 = 100; u5 = 100; u6 = 100 }
        $null = Invoke-RekEmulator $Emulator -Route config -Body @{ LatencyMs = 300 }
        try {
            $rows = foreach ($user in 'u1', 'u2', 'u3', 'u4', 'u5', 'u6') { foreach ($id in $faces[$user]) { "c1,$user,$id" } }
            Set-Content (Join-Path $TestDrive 'rows.csv') (@('CollectionId,UserId,FaceId') + $rows)
            $records = Get-ProgressRecords "Import-Csv '$(Join-Path $TestDrive 'rows.csv')' | Remove-RekFaceFromUser -Force -ThrottleLimit 1 -EndpointUrl '$Endpoint' | Out-Null"
        }
        finally { $null = Invoke-RekEmulator $Emulator -Route config -Body @{ LatencyMs = 0 } }

        $records | Should -Not -BeNullOrEmpty
        $records[0].StatusDescription | Should -Match 'face\(s\) in \d+ batch\(es\) done; current user'
        $records[-1].RecordType | Should -Be 'Completed'
    }

    It 'closes the progress bar when the command stops at an error' {
        $faces = New-TestFaces -Users @{ u1 = 100; u2 = 100; u3 = 100; u4 = 100 }
        $null = Invoke-RekEmulator $Emulator -Route config -Body @{ LatencyMs = 400 }
        try {
            $rows = foreach ($user in 'u1', 'u2', 'u3', 'u4') { foreach ($id in $faces[$user]) { "c1,$user,$id" } }
            Set-Content (Join-Path $TestDrive 'rows3.csv') (@('CollectionId,UserId,FaceId') + $rows + "c1,nobody,$(New-RandomFaceId)")
            $records = Get-ProgressRecords "try { Import-Csv '$(Join-Path $TestDrive 'rows3.csv')' | Remove-RekFaceFromUser -Force -ThrottleLimit 1 -ErrorAction Stop -EndpointUrl '$Endpoint' | Out-Null } catch { }"
        }
        finally { $null = Invoke-RekEmulator $Emulator -Route config -Body @{ LatencyMs = 0 } }

        $records | Should -Not -BeNullOrEmpty
        $records[-1].RecordType | Should -Be 'Completed'
    }

    It 'shows no progress for a short call' {
        $faces = New-TestFaces -Users @{ alice = 5 }
        $records = Get-ProgressRecords "'$($faces.alice -join "','")' | Remove-RekFaceFromUser -CollectionId c1 -UserId alice -Force -EndpointUrl '$Endpoint' | Out-Null"
        $records | Should -BeNullOrEmpty
    }

    It 'honours -ProgressAction SilentlyContinue' {
        $faces = New-TestFaces -Users @{ u1 = 100; u2 = 100; u3 = 100; u4 = 100 }
        $null = Invoke-RekEmulator $Emulator -Route config -Body @{ LatencyMs = 400 }
        try {
            $rows = foreach ($user in 'u1', 'u2', 'u3', 'u4') { foreach ($id in $faces[$user]) { "c1,$user,$id" } }
            Set-Content (Join-Path $TestDrive 'rows2.csv') (@('CollectionId,UserId,FaceId') + $rows)
            $records = Get-ProgressRecords "Import-Csv '$(Join-Path $TestDrive 'rows2.csv')' | Remove-RekFaceFromUser -Force -ThrottleLimit 1 -EndpointUrl '$Endpoint' -ProgressAction SilentlyContinue | Out-Null"
        }
        finally { $null = Invoke-RekEmulator $Emulator -Route config -Body @{ LatencyMs = 0 } }
        $records | Should -BeNullOrEmpty
    }
}
