# Collections and their faces: New-, Get- and Remove-RekFaceCollection, Add-RekFaceToCollection,
# Remove-RekFaceFromCollection and Find-RekUser against the emulator.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')

    $Crc32Table = [uint32[]]::new(256)
    for ($n = 0; $n -lt 256; $n++) {
        $c = [uint32]$n
        for ($k = 0; $k -lt 8; $k++) { $c = if ($c -band 1) { [uint32]3988292384 -bxor ($c -shr 1) } else { $c -shr 1 } }
        $Crc32Table[$n] = $c
    }

    function Get-Crc32([byte[]] $Bytes) {
        $crc = [uint32]::MaxValue
        foreach ($b in $Bytes) { $crc = $Crc32Table[($crc -bxor $b) -band 0xFF] -bxor ($crc -shr 8) }
        $crc -bxor [uint32]::MaxValue
    }

    function ConvertTo-BigEndian([uint32] $Value) {
        $bytes = [BitConverter]::GetBytes($Value)
        if ([BitConverter]::IsLittleEndian) { [array]::Reverse($bytes) }
        , $bytes
    }

    function New-PngChunk([string] $Type, [byte[]] $Data) {
        $typeAndData = [Text.Encoding]::ASCII.GetBytes($Type) + $Data
        , ((ConvertTo-BigEndian $Data.Length) + $typeAndData + (ConvertTo-BigEndian (Get-Crc32 $typeAndData)))
    }

    # A real 1x1 grey PNG (signature, IHDR, tEXt, IDAT, IEND); the text makes each image's bytes, and so its face, distinct.
    function New-TestPng([string] $Path, [string] $Text = $Path, [byte] $Grey = 128) {
        $ihdr = (ConvertTo-BigEndian 1) + (ConvertTo-BigEndian 1) + [byte[]](8, 0, 0, 0, 0)
        $raw = [byte[]](0, $Grey)
        $a = 1; $b = 0; foreach ($x in $raw) { $a = ($a + $x) % 65521; $b = ($b + $a) % 65521 }
        # zlib: header, one stored deflate block (final, LEN 2, NLEN), the raw scanline, Adler-32.
        $idat = [byte[]](0x78, 0x01, 0x01, 0x02, 0x00, 0xFD, 0xFF) + $raw + (ConvertTo-BigEndian ([uint32]($b * 65536 + $a)))
        $bytes = [byte[]](0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A) +
            (New-PngChunk 'IHDR' $ihdr) + (New-PngChunk 'tEXt' ([Text.Encoding]::ASCII.GetBytes("Comment`0$Text"))) +
            (New-PngChunk 'IDAT' $idat) + (New-PngChunk 'IEND' ([byte[]]@()))
        [IO.File]::WriteAllBytes($Path, $bytes)
        Get-Item -LiteralPath $Path
    }

    # JPEG as far as a signature check goes: SOI, a JFIF APP0 segment, a comment, EOI.
    function New-TestJpeg([string] $Path, [string] $Text = $Path) {
        $comment = [Text.Encoding]::ASCII.GetBytes($Text)
        $bytes = [byte[]](0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10) + [Text.Encoding]::ASCII.GetBytes("JFIF`0") + [byte[]](1, 1, 0, 0, 1, 0, 1, 0, 0) +
            [byte[]](0xFF, 0xFE) + [byte[]](0, ($comment.Length + 2)) + $comment + [byte[]](0xFF, 0xD9)
        [IO.File]::WriteAllBytes($Path, $bytes)
        Get-Item -LiteralPath $Path
    }

    # A file of exactly $Length bytes that starts with the PNG signature.
    function New-SizedPng([string] $Path, [int] $Length) {
        $bytes = [byte[]]::new($Length)
        ([byte[]](0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A)).CopyTo($bytes, 0)
        [IO.File]::WriteAllBytes($Path, $bytes)
        Get-Item -LiteralPath $Path
    }

    # The emulator's face for an image: the first 16 bytes of SHA-256(bytes), as a lower-case 8-4-4-4-12 GUID.
    function Get-ExpectedFaceId([string] $Path) {
        $hex = -join ([Security.Cryptography.SHA256]::HashData([IO.File]::ReadAllBytes($Path))[0..15] | ForEach-Object { $_.ToString('x2') })
        '{0}-{1}-{2}-{3}-{4}' -f $hex.Substring(0, 8), $hex.Substring(8, 4), $hex.Substring(12, 4), $hex.Substring(16, 4), $hex.Substring(20, 12)
    }

    function New-Collection([string[]] $Id) {
        $null = Invoke-RekEmulator $Emulator -Route seed -Body @{ Collections = @($Id | ForEach-Object { @{ CollectionId = $_ } }) }
    }

    # The images a stop's error names besides its own target: those in the detail it adds to the message.
    function Get-NamedImages($Stop) {
        $text = if ($Stop.ErrorDetails) { $Stop.ErrorDetails.Message } else { $Stop.Exception.Message }
        @([regex]::Matches(($text -split 'stopped at this (?:error|warning)', 2)[1], "'([^']+\.png)'") | ForEach-Object { $_.Groups[1].Value })
    }

    # Indexes the folder's PNGs (or the -Path values, piped) into 'employees' under -ErrorAction Stop (or the
    # -Preference parameters), with the emulator slowed down: the faces written and the error the command stopped at.
    function Invoke-StoppedIndexing([string] $Folder, [int] $ThrottleLimit, [int] $LatencyMs, [object[]] $Path = @(Join-Path $Folder '*.png'), [hashtable] $Preference = @{ ErrorAction = 'Stop' }) {
        $null = Invoke-RekEmulator $Emulator -Route config -Body @{ LatencyMs = $LatencyMs }
        $faces = [Collections.Generic.List[object]]::new()
        try { $Path | Add-RekFaceToCollection -CollectionId employees -ThrottleLimit $ThrottleLimit @Preference | ForEach-Object { $faces.Add($_) } }
        catch { $stop = $_ }
        finally { $null = Invoke-RekEmulator $Emulator -Route config -Body @{ LatencyMs = 0 } }
        @{ Faces = $faces; Stop = $stop }
    }

    # Nothing lost: every image the service answered has its faces written, and each image of the folder ends up
    # once, in its faces or in the error (as its target or named in it).
    function Assert-EachImageOnce($Run, [string] $Folder) {
        $answered = @(Get-EmulatorLog IndexFaces | Where-Object StatusCode -eq 200 | ForEach-Object { Join-Path $Folder $_.ExternalImageId })
        @($Run.Faces.Path | Sort-Object) | Should -Be @($answered | Sort-Object) -Because 'every image answered is written, also those in flight at the stop'
        $all = @($Run.Faces.Path) + @($Run.Stop.TargetObject) + (Get-NamedImages $Run.Stop)
        @($all | Sort-Object) | Should -Be @((Get-ChildItem $Folder).FullName | Sort-Object) -Because 'each image ends up in its faces or in the error, once'
    }

    function New-PhotoFolder([string[]] $Names) {
        $folder = Join-Path $TestDrive ([guid]::NewGuid())
        $null = New-Item -ItemType Directory $folder
        foreach ($name in $Names) { $null = New-TestPng (Join-Path $folder $name) }
        $folder
    }
}

AfterAll {
    Stop-RekEmulator $Emulator
}

Describe 'Face collections' {
    BeforeEach {
        $null = Invoke-RekEmulator $Emulator -Route reset
    }

    Context 'New-RekFaceCollection' {
        It 'creates a collection named twice once' {
            $created = New-RekFaceCollection -CollectionId twice, twice -ErrorVariable failures
            $created | Should -HaveCount 1
            $failures | Should -BeNullOrEmpty
            Get-EmulatorLog CreateCollection | Should -HaveCount 1
        }

        It 'creates collections from the pipeline and emits them as typed objects' {
            $before = [DateTime]::UtcNow.AddMinutes(-1)
            $created = 'employees', 'visitors' | New-RekFaceCollection -Tag @{ team = 'security'; env = 'test' }

            $created | Should -HaveCount 2
            $created | Should -BeOfType FaceTools.RekFaceCollection
            $created[0].CollectionId | Should -Be 'employees'
            $created[0].CollectionArn | Should -Be 'aws:rekognition:us-east-1:123456789012:collection/employees'
            $created[0].FaceModelVersion | Should -Be '7.0'
            $created[0].FaceCount | Should -Be 0
            $created[0].UserCount | Should -Be 0
            $created[0].CreationTimestamp | Should -BeOfType DateTime
            $created[0].CreationTimestamp.Kind | Should -Be 'Utc'
            $created[0].CreationTimestamp | Should -BeGreaterThan $before
            $created[0].Tags['team'] | Should -Be 'security'

            $state = Invoke-RekEmulator $Emulator -Route state
            ($state.Collections.CollectionId | Sort-Object) | Should -Be @('employees', 'visitors')
            ($state.Collections | Where-Object CollectionId -eq 'visitors').Tags.env | Should -Be 'test'
            Get-EmulatorLog CreateCollection | Should -HaveCount 2
        }

        It 'writes tags that read as their pairs in CSV and stay an object in JSON' {
            $created = New-RekFaceCollection -CollectionId tagged -Tag @{ team = 'security'; env = 'test' }
            $created.Tags | Should -BeOfType hashtable
            ($created | ConvertTo-Csv | ConvertFrom-Csv).Tags | Should -Be 'env=test; team=security'
            ($created | ConvertTo-Json | ConvertFrom-Json).Tags.team | Should -Be 'security'
        }

        It 'reports an existing collection as ResourceAlreadyExistsException and goes on' {
            New-Collection 'employees'
            $created = 'employees', 'visitors' | New-RekFaceCollection -ErrorVariable failures -ErrorAction SilentlyContinue

            $created.CollectionId | Should -Be 'visitors'
            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -Be 'ResourceAlreadyExistsException,FaceTools.Commands.NewRekFaceCollectionCommand'
            $failures[0].CategoryInfo.Category | Should -Be 'ResourceExists'
            $failures[0].TargetObject | Should -Be 'employees'
        }

        It '-WhatIf creates nothing' {
            New-RekFaceCollection -CollectionId employees -WhatIf | Should -BeNullOrEmpty
            Get-EmulatorLog | Should -BeNullOrEmpty
        }

        It 'validates <Case> before any request' -TestCases @(
            @{ Case = 'the collection ID'; Arguments = @{ CollectionId = 'bad/name' } }
            @{ Case = 'a tag key starting with aws:'; Arguments = @{ CollectionId = 'ok'; Tag = @{ 'aws:team' = 'x' } } }
            @{ Case = 'a tag value over 256 characters'; Arguments = @{ CollectionId = 'ok'; Tag = @{ team = 'v' * 257 } } }
            @{ Case = 'more than 200 tags'; Arguments = @{ CollectionId = 'ok'; Tag = $(1..201 | ForEach-Object -Begin { $t = @{} } -Process { $t["k$_"] = 'v' } -End { $t }) } }
        ) {
            { New-RekFaceCollection @Arguments -ErrorAction Stop } |
                Should -Throw -ErrorId 'ParameterArgumentValidationError,FaceTools.Commands.NewRekFaceCollectionCommand'
            Get-EmulatorLog | Should -BeNullOrEmpty
        }
    }

    Context 'Get-RekFaceCollection' {
        It 'lists and describes every collection' {
            $null = New-TestFaces -CollectionId 'employees' -Users @{ alice = 3; bob = 2 } -FreeFaces 4
            New-Collection 'visitors'
            $collections = Get-RekFaceCollection

            $collections | Should -HaveCount 2
            $collections | Should -BeOfType FaceTools.RekFaceCollection
            $employees = $collections | Where-Object CollectionId -eq 'employees'
            $employees.FaceCount | Should -Be 9
            $employees.UserCount | Should -Be 2
            $employees.FaceModelVersion | Should -Be '7.0'
            $employees.CollectionArn | Should -Be 'aws:rekognition:us-east-1:123456789012:collection/employees'
            $employees.CreationTimestamp.Kind | Should -Be 'Utc'
            $expected = ((Invoke-RekEmulator $Emulator -Route state).Collections | Where-Object CollectionId -eq 'employees').CreationTimestamp
            ([DateTimeOffset]$employees.CreationTimestamp).ToUnixTimeMilliseconds() | Should -Be ([long][math]::Round($expected * 1000))
            Get-EmulatorLog ListCollections | Should -HaveCount 1
            Get-EmulatorLog DescribeCollection | Should -HaveCount 2
        }

        It 'filters with wildcards, and writes CollectionNotFound for a literal ID that matches nothing' {
            New-Collection 'employees', 'emeritus', 'visitors'
            $found = Get-RekFaceCollection -CollectionId 'em*', 'nope' -ErrorVariable failures -ErrorAction SilentlyContinue

            ($found.CollectionId | Sort-Object) | Should -Be @('emeritus', 'employees')
            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -Be 'CollectionNotFound,FaceTools.Commands.GetRekFaceCollectionCommand'
            $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $failures[0].TargetObject | Should -Be 'nope'
            Get-EmulatorLog DescribeCollection | Should -HaveCount 2
        }

        It 'describes literal IDs directly, without listing, from the pipeline' {
            New-Collection 'employees', 'visitors', 'other'
            $found = 'visitors', 'ghost', 'employees' | Get-RekFaceCollection -ErrorVariable failures -ErrorAction SilentlyContinue

            $found.CollectionId | Should -Be @('visitors', 'employees')
            $failures[0].FullyQualifiedErrorId | Should -Be 'CollectionNotFound,FaceTools.Commands.GetRekFaceCollectionCommand'
            $failures[0].TargetObject | Should -Be 'ghost'
            Get-EmulatorLog ListCollections | Should -BeNullOrEmpty
        }

        It 'matches a literal ID exactly beside a pattern, and writes each collection once' {
            New-Collection 'c1', 'C1', 'zz'
            (Get-RekFaceCollection -CollectionId 'c1', 'zz*').CollectionId | Should -BeExactly @('c1', 'zz')
            $null = Invoke-RekEmulator $Emulator -Route reset
            $null = New-TestFaces -Users @{ alice = 3; bob = 2 }
            $found = Get-RekFace -CollectionId c1 | Get-RekFaceCollection
            $found.CollectionId | Should -Be 'c1'
            Get-EmulatorLog DescribeCollection | Should -HaveCount 1
        }

        It 'pages through ListCollections' {
            New-Collection (1..1050 | ForEach-Object { 'col{0:d4}' -f $_ })
            $found = Get-RekFaceCollection -CollectionId 'col104*', 'col0001'

            ($found.CollectionId | Sort-Object) | Should -Be (@('col0001') + (1040..1049 | ForEach-Object { "col$_" }))
            Get-EmulatorLog ListCollections | Should -HaveCount 2
            Get-EmulatorLog DescribeCollection | Should -HaveCount 11
        }
    }

    Context 'Remove-RekFaceCollection' {
        It 'has ConfirmImpact High, and -WhatIf deletes nothing' {
            New-Collection 'employees'
            (Get-Command Remove-RekFaceCollection).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false).ConfirmImpact | Should -Be 'High'
            Remove-RekFaceCollection -CollectionId employees -WhatIf
            Get-EmulatorLog DeleteCollection | Should -BeNullOrEmpty
        }

        It 'deletes the collections piped from Get-RekFaceCollection' {
            New-Collection 'temp-1', 'temp-2', 'keep'
            Get-RekFaceCollection temp* | Remove-RekFaceCollection -Force

            (Get-RekFaceCollection).CollectionId | Should -Be @('keep')
            Get-EmulatorLog DeleteCollection | Should -HaveCount 2
        }

        It 'deletes a collection once when many objects name it' {
            $null = New-TestFaces -CollectionId 'temp' -FreeFaces 3
            Get-RekFace -CollectionId temp | Remove-RekFaceCollection -Force
            Get-EmulatorLog DeleteCollection | Should -HaveCount 1
        }

        It 'reports a missing collection as ResourceNotFoundException' {
            { Remove-RekFaceCollection -CollectionId ghost -Force -ErrorAction Stop } |
                Should -Throw -ErrorId 'ResourceNotFoundException,FaceTools.Commands.RemoveRekFaceCollectionCommand'
        }
    }

    Context 'Add-RekFaceToCollection' {
        It 'indexes a folder of images from Get-ChildItem, one request per image' {
            New-Collection 'employees'
            $folder = New-PhotoFolder 'alice_1.png', 'alice_2.png'
            $jpeg = New-TestJpeg (Join-Path $folder 'bob.jpg')
            $faces = Get-ChildItem $folder | Add-RekFaceToCollection -CollectionId employees

            $faces | Should -HaveCount 3
            $faces | Should -BeOfType FaceTools.IndexedFace
            Get-EmulatorLog IndexFaces | Should -HaveCount 3
            $alice = $faces | Where-Object ExternalImageId -eq 'alice_1.png'
            $alice.Status | Should -Be 'Indexed'
            $alice.FaceId | Should -Be (Get-ExpectedFaceId (Join-Path $folder 'alice_1.png'))
            $alice.CollectionId | Should -Be 'employees'
            $alice.Path | Should -Be (Join-Path $folder 'alice_1.png')
            $alice.ImageId | Should -Not -BeNullOrEmpty
            $alice.Confidence | Should -BeGreaterThan 90
            $alice.BoundingBox | Should -BeOfType FaceTools.BoundingBox
            $alice.IndexFacesModelVersion | Should -Be '7.0'
            $alice.Reasons | Should -BeNullOrEmpty
            ($faces | Where-Object ExternalImageId -eq 'bob.jpg').FaceId | Should -Be (Get-ExpectedFaceId $jpeg.FullName)
            (Get-RekFace -CollectionId employees).ExternalImageId | Sort-Object | Should -Be @('alice_1.png', 'alice_2.png', 'bob.jpg')
        }

        It 'shows progress for many images: images done, the last read and its place among its path''s files' {
            New-Collection 'employees'
            $folder = New-PhotoFolder 'p1.png', 'p2.png', 'p3.png', 'p4.png', 'p5.png', 'p6.png'
            $null = Invoke-RekEmulator $Emulator -Route config -Body @{ LatencyMs = 400 }
            try { $records = Get-ProgressRecords "Add-RekFaceToCollection -CollectionId employees -Path '$(Join-Path $folder '*.png')' -ThrottleLimit 1 -EndpointUrl '$Endpoint' | Out-Null" }
            finally { $null = Invoke-RekEmulator $Emulator -Route config -Body @{ LatencyMs = 0 } }

            $records | Should -Not -BeNullOrEmpty
            $records[0].Activity | Should -Be 'Index faces'
            $records[0].StatusDescription | Should -Match "^\d image\(s\) done; last read '.*p\d\.png' \(\d of 6 for '.*\*\.png'\) into collection 'employees'$"
            $records[-1].RecordType | Should -Be 'Completed'
            Get-EmulatorLog IndexFaces | Should -HaveCount 6
        }

        It 'shows no progress for one image' {
            New-Collection 'employees'
            $folder = New-PhotoFolder 'p1.png'
            Get-ProgressRecords "Add-RekFaceToCollection -CollectionId employees -Path '$(Join-Path $folder 'p1.png')' -EndpointUrl '$Endpoint' | Out-Null" |
                Should -BeNullOrEmpty
        }

        It 'expands wildcards in -Path, takes -LiteralPath as written, and skips folders a wildcard matches' {
            New-Collection 'employees'
            $folder = New-PhotoFolder 'a1.png', 'a2.png', 'b1.png', '[x].png'
            $null = New-Item -ItemType Directory (Join-Path $folder 'a-folder')

            $wild = Add-RekFaceToCollection -CollectionId employees -Path (Join-Path $folder 'a*')
            ($wild.ExternalImageId | Sort-Object) | Should -Be @('a1.png', 'a2.png')
            $literal = Add-RekFaceToCollection -CollectionId employees -LiteralPath (Join-Path $folder '[x].png')
            $literal.ExternalImageId | Should -Be '_x_.png'
        }

        It 'makes the default ExternalImageId valid for the service: other characters become _' {
            New-Collection 'employees'
            $folder = New-PhotoFolder 'Zoë Smith (2024).png', 'team+photo@2x.png'
            $faces = Get-ChildItem $folder | Add-RekFaceToCollection -CollectionId employees

            ($faces.ExternalImageId | Sort-Object) | Should -Be @('team_photo_2x.png', 'Zo__Smith__2024_.png')
        }

        It 'uses -ExternalImageId, -MaxFaces and -QualityFilter' {
            New-Collection 'employees'
            $folder = New-PhotoFolder 'a.png'
            $face = Add-RekFaceToCollection -CollectionId employees -Path (Join-Path $folder 'a.png') -ExternalImageId 'badge:0042' -MaxFaces 1 -QualityFilter low
            $face.ExternalImageId | Should -Be 'badge:0042'
            (Get-RekFace -CollectionId employees).ExternalImageId | Should -Be 'badge:0042'
        }

        It 'refuses an image over 5,242,880 bytes before any request, naming the file and the limit, and goes on' {
            New-Collection 'employees'
            $folder = New-PhotoFolder 'small.png'
            $big = New-SizedPng (Join-Path $folder 'big.png') 5242881
            $faces = Get-ChildItem $folder | Add-RekFaceToCollection -CollectionId employees -ErrorVariable failures -ErrorAction SilentlyContinue

            $faces.ExternalImageId | Should -Be 'small.png'
            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -Be 'ImageTooLarge,FaceTools.Commands.AddRekFaceToCollectionCommand'
            $failures[0].CategoryInfo.Category | Should -Be 'LimitsExceeded'
            $failures[0].TargetObject | Should -Be $big.FullName
            $failures[0].Exception.Message | Should -Match ([regex]::Escape($big.FullName))
            $failures[0].Exception.Message | Should -Match '5,242,880 bytes'
            Get-EmulatorLog IndexFaces | Should -HaveCount 1
        }

        It 'sends an image of exactly 5,242,880 bytes' {
            New-Collection 'employees'
            $edge = New-SizedPng (Join-Path $TestDrive 'edge.png') 5242880
            $face = Add-RekFaceToCollection -CollectionId employees -LiteralPath $edge.FullName
            $face.FaceId | Should -Be (Get-ExpectedFaceId $edge.FullName)
        }

        It 'refuses <Kind> before any request' -TestCases @(
            @{ Kind = 'a GIF'; Bytes = [Text.Encoding]::ASCII.GetBytes('GIF89a........') }
            @{ Kind = 'a text file'; Bytes = [Text.Encoding]::ASCII.GetBytes('not an image') }
            @{ Kind = 'an empty file'; Bytes = [byte[]]@() }
            @{ Kind = 'a truncated PNG signature'; Bytes = [byte[]](0x89, 0x50, 0x4E, 0x47) }
        ) {
            New-Collection 'employees'
            $file = Join-Path $TestDrive 'photo.png'
            [IO.File]::WriteAllBytes($file, $Bytes)
            { Add-RekFaceToCollection -CollectionId employees -Path $file -ErrorAction Stop } |
                Should -Throw -ErrorId 'InvalidImageFormat,FaceTools.Commands.AddRekFaceToCollectionCommand'
            try { Add-RekFaceToCollection -CollectionId employees -Path $file -ErrorAction Stop } catch { $_.Exception.Message | Should -Match 'PNG or JPEG' }
            Get-EmulatorLog | Should -BeNullOrEmpty
        }

        It 'validates <Case> before any request' -TestCases @(
            @{ Case = 'MaxFaces 0'; Arguments = @{ MaxFaces = 0 } }
            @{ Case = 'MaxFaces 101'; Arguments = @{ MaxFaces = 101 } }
            @{ Case = 'an unknown QualityFilter'; Arguments = @{ QualityFilter = 'ULTRA' } }
            @{ Case = 'an invalid ExternalImageId'; Arguments = @{ ExternalImageId = 'has space' } }
            @{ Case = 'an invalid collection ID'; Arguments = @{ CollectionId = 'bad/name' } }
        ) {
            New-Collection 'employees'
            $folder = New-PhotoFolder 'a.png'
            $splat = @{ CollectionId = 'employees'; Path = (Join-Path $folder 'a.png') }
            foreach ($key in $Arguments.Keys) { $splat[$key] = $Arguments[$key] }
            { Add-RekFaceToCollection @splat -ErrorAction Stop } |
                Should -Throw -ErrorId 'ParameterArgumentValidationError,FaceTools.Commands.AddRekFaceToCollectionCommand'
            Get-EmulatorLog | Should -BeNullOrEmpty
        }

        It 'writes PathNotFound and PathIsFolder before any request' {
            New-Collection 'employees'
            $folder = New-PhotoFolder 'a.png'
            $null = Add-RekFaceToCollection -CollectionId employees -Path (Join-Path $folder 'missing.png'), $folder -ErrorVariable failures -ErrorAction SilentlyContinue
            $failures.FullyQualifiedErrorId | Should -Be @('PathNotFound,FaceTools.Commands.AddRekFaceToCollectionCommand', 'PathIsFolder,FaceTools.Commands.AddRekFaceToCollectionCommand')
            Get-EmulatorLog | Should -BeNullOrEmpty
        }

        It '-WhatIf sends nothing' {
            New-Collection 'employees'
            $folder = New-PhotoFolder 'a.png', 'b.png'
            Get-ChildItem $folder | Add-RekFaceToCollection -CollectionId employees -WhatIf | Should -BeNullOrEmpty
            Get-EmulatorLog | Should -BeNullOrEmpty
        }

        It 'reports a missing collection as ResourceNotFoundException naming the image' {
            $folder = New-PhotoFolder 'a.png'
            $null = Add-RekFaceToCollection -CollectionId ghost -Path (Join-Path $folder 'a.png') -ErrorVariable failures -ErrorAction SilentlyContinue
            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -Be 'ResourceNotFoundException,FaceTools.Commands.AddRekFaceToCollectionCommand'
            $failures[0].TargetObject | Should -Be (Join-Path $folder 'a.png')
        }

        It 'sends up to -ThrottleLimit images at once, and one at a time, in input order, with -ThrottleLimit 1' {
            New-Collection 'employees', 'visitors'
            $folder = New-PhotoFolder 'p1.png', 'p2.png', 'p3.png', 'p4.png', 'p5.png', 'p6.png', 'p7.png'
            $null = Invoke-RekEmulator $Emulator -Route config -Body @{ LatencyMs = 300 }
            try {
                $together = Add-RekFaceToCollection -CollectionId employees -Path (Join-Path $folder '*.png') -ThrottleLimit 3
                $inTurn = Add-RekFaceToCollection -CollectionId visitors -Path (Join-Path $folder '*.png') -ThrottleLimit 1
            }
            finally { $null = Invoke-RekEmulator $Emulator -Route config -Body @{ LatencyMs = 0 } }

            $files = @((Get-ChildItem $folder).FullName | Sort-Object)
            @($together.Path | Sort-Object) | Should -Be $files
            @($inTurn.Path | Sort-Object) | Should -Be $files
            $log = Get-EmulatorLog IndexFaces
            ($log | Where-Object CollectionId -eq 'employees' | Measure-Object InFlight -Maximum).Maximum | Should -Be 3
            ($log | Where-Object CollectionId -eq 'visitors' | Measure-Object InFlight -Maximum).Maximum | Should -Be 1
            @($inTurn.Path | Split-Path -Leaf) | Should -Be @(($log | Where-Object CollectionId -eq 'visitors').ExternalImageId)
        }

        It 'under -ErrorAction Stop, writes the images in flight and names each image not answered once, in the error it stops at' {
            New-Collection 'employees'
            $folder = New-PhotoFolder (1..12 | ForEach-Object { "p$_.png" })
            $null = Invoke-RekEmulator $Emulator -Route faults -Body @{ Seed = 1; Rules = @(@{ Operation = 'IndexFaces'; Kind = 'Conflict'; Count = 1 }) }
            $run = Invoke-StoppedIndexing $folder -ThrottleLimit 3 -LatencyMs 200

            $run.Stop.FullyQualifiedErrorId | Should -Be 'ConflictException,FaceTools.Commands.AddRekFaceToCollectionCommand'
            $run.Stop.ErrorDetails.Message | Should -Match "stopped at this error: $((Get-NamedImages $run.Stop).Count) more image\(s\)"
            @(Get-EmulatorLog IndexFaces).Count | Should -BeLessThan 12 -Because 'the images after the stop are not read'
            Assert-EachImageOnce $run $folder
        }

        It 'under -ErrorAction Stop, a file refused before any request is the error it stops at, after the images in flight are written' {
            New-Collection 'employees'
            $folder = New-PhotoFolder 'p1.png', 'p2.png', 'p3.png', 'p4.png', 'p5.png', 'p6.png'
            Set-Content (Join-Path $folder 'p4.png') 'not an image'
            $run = Invoke-StoppedIndexing $folder -ThrottleLimit 2 -LatencyMs 300

            $run.Stop.FullyQualifiedErrorId | Should -Be 'InvalidImageFormat,FaceTools.Commands.AddRekFaceToCollectionCommand'
            $run.Stop.TargetObject | Should -Be (Join-Path $folder 'p4.png')
            Assert-EachImageOnce $run $folder
        }

        It 'warns for an image with no face, and writes no object or error for it' {
            New-Collection 'employees'
            $folder = New-PhotoFolder 'p1.png'
            $null = New-TestPng (Join-Path $folder 'empty.png') 'NOFACE'
            $faces = Add-RekFaceToCollection -CollectionId employees -Path (Join-Path $folder '*.png') -WarningVariable warnings -WarningAction SilentlyContinue -ErrorVariable failures
            $faces.Path | Should -Be (Join-Path $folder 'p1.png')
            $failures | Should -BeNullOrEmpty
            "$warnings" | Should -Be "No face was found in image '$(Join-Path $folder 'empty.png')'."
        }

        It 'under -WarningAction Stop, stops at an image with no face after writing the images in flight, and names the rest' {
            New-Collection 'employees'
            $folder = New-PhotoFolder (1..10 | ForEach-Object { "p$_.png" })
            $empty = New-TestPng (Join-Path $folder 'p2.png') 'NOFACE'
            $run = Invoke-StoppedIndexing $folder -ThrottleLimit 3 -LatencyMs 200 -Preference @{ WarningAction = 'Stop' }

            $run.Stop.FullyQualifiedErrorId | Should -BeLike 'ActionPreferenceStop*'
            $run.Stop.Exception.Message | Should -BeLike "*No face was found in image '$($empty.FullName)'.*"
            $answered = @(Get-EmulatorLog IndexFaces | Where-Object StatusCode -eq 200 | ForEach-Object { Join-Path $folder $_.ExternalImageId } | Where-Object { $_ -ne $empty.FullName })
            @($run.Faces.Path | Sort-Object) | Should -Be @($answered | Sort-Object)
            $all = @($run.Faces.Path) + $empty.FullName + (Get-NamedImages $run.Stop)
            @($all | Sort-Object) | Should -Be @((Get-ChildItem $folder).FullName | Sort-Object)
        }

        It 'under -ErrorAction Stop, a piped record PowerShell''s binder would refuse (a blank path) is the error it stops at, with every image read before it accounted for' {
            New-Collection 'employees'
            $folder = New-PhotoFolder 'p1.png', 'p2.png', 'p3.png', 'p4.png'
            $paths = @((Join-Path $folder 'p1.png'), (Join-Path $folder 'p2.png'), (Join-Path $folder 'p3.png'), '', (Join-Path $folder 'p4.png'))
            $run = Invoke-StoppedIndexing $folder -ThrottleLimit 4 -LatencyMs 300 -Path $paths

            $run.Stop.FullyQualifiedErrorId | Should -Be 'ParameterArgumentValidationError,FaceTools.Commands.AddRekFaceToCollectionCommand'
            $run.Stop.Exception.Message | Should -BeLike "Cannot validate argument on parameter 'Path'. The argument is null or empty.*"
            $run.Stop.TargetObject | Should -Be ''
            @(@($run.Faces.Path) + (Get-NamedImages $run.Stop) | Sort-Object) | Should -Be @($paths[0..2] | Sort-Object) -Because 'each image read before the refused record is written or named, once'
            @(Get-EmulatorLog IndexFaces).Count | Should -BeLessOrEqual 3
        }

        It 'names the -Path values not read yet in the error it stops at' {
            New-Collection 'employees'
            $folder = New-PhotoFolder 'p1.png', 'p2.png', 'p3.png', 'p4.png', 'p5.png', 'p6.png'
            Set-Content (Join-Path $folder 'p3.png') 'not an image'
            $paths = @(1..6 | ForEach-Object { Join-Path $folder "p$_.png" })
            $null = Invoke-RekEmulator $Emulator -Route config -Body @{ LatencyMs = 100 }
            $faces = [Collections.Generic.List[object]]::new()
            try { Add-RekFaceToCollection -CollectionId employees -Path $paths -ThrottleLimit 2 -ErrorAction Stop | ForEach-Object { $faces.Add($_) } }
            catch { $stop = $_ }
            finally { $null = Invoke-RekEmulator $Emulator -Route config -Body @{ LatencyMs = 0 } }

            $stop.TargetObject | Should -Be $paths[2]
            Assert-EachImageOnce @{ Faces = $faces; Stop = $stop } $folder
            Get-NamedImages $stop | Should -Contain $paths[5]
        }

        It 'with -ThrottleLimit 1, writes faces and errors in input order' {
            New-Collection 'employees'
            $folder = New-PhotoFolder 'p1.png', 'p2.png', 'p3.png', 'p4.png'
            Set-Content (Join-Path $folder 'p3.png') 'not an image'
            $paths = @(1..4 | ForEach-Object { Join-Path $folder "p$_.png" })
            $null = Invoke-RekEmulator $Emulator -Route config -Body @{ LatencyMs = 100 }
            try { $stream = Add-RekFaceToCollection -CollectionId employees -Path $paths -ThrottleLimit 1 2>&1 }
            finally { $null = Invoke-RekEmulator $Emulator -Route config -Body @{ LatencyMs = 0 } }

            @($stream | ForEach-Object { if ($_ -is [Management.Automation.ErrorRecord]) { "error $($_.TargetObject)" } else { "face $($_.Path)" } }) |
                Should -Be @("face $($paths[0])", "face $($paths[1])", "error $($paths[2])", "face $($paths[3])")
        }

        It 'without credentials, stops before it reads any image; -WhatIf needs none' {
            New-Collection 'employees'
            $folder = New-PhotoFolder 'p1.png'
            $saved = $env:AWS_ACCESS_KEY_ID, $env:AWS_SECRET_ACCESS_KEY, $env:AWS_SHARED_CREDENTIALS_FILE, $env:AWS_CONFIG_FILE
            $env:AWS_ACCESS_KEY_ID = $null; $env:AWS_SECRET_ACCESS_KEY = $null
            $env:AWS_SHARED_CREDENTIALS_FILE = Join-Path $TestDrive 'none'; $env:AWS_CONFIG_FILE = Join-Path $TestDrive 'none'
            try {
                Add-RekFaceToCollection -CollectionId employees -Path (Join-Path $folder '*.png'), (Join-Path $folder 'missing.png') -WhatIf -ErrorAction SilentlyContinue -ErrorVariable whatIfErrors
                $whatIfErrors.FullyQualifiedErrorId | Should -Be 'PathNotFound,FaceTools.Commands.AddRekFaceToCollectionCommand'
                { Add-RekFaceToCollection -CollectionId employees -Path (Join-Path $folder 'missing.png'), (Join-Path $folder '*.png') } |
                    Should -Throw -ErrorId 'NoCredentials,FaceTools.Commands.AddRekFaceToCollectionCommand'
            }
            finally { $env:AWS_ACCESS_KEY_ID, $env:AWS_SECRET_ACCESS_KEY, $env:AWS_SHARED_CREDENTIALS_FILE, $env:AWS_CONFIG_FILE = $saved }
            Get-EmulatorLog | Should -BeNullOrEmpty
        }

        It 'stops at a failure no request can escape, with every image named once and no face written' {
            New-Collection 'employees'
            $folder = New-PhotoFolder 'p1.png', 'p2.png', 'p3.png', 'p4.png', 'p5.png'
            $null = Invoke-RekEmulator $Emulator -Route config -Body @{ LatencyMs = 100 }
            try { $faces = Add-RekFaceToCollection -CollectionId employees -Path (Join-Path $folder '*.png') -ThrottleLimit 2 -AccessKey (Get-RekEmulatorAccessKey) -SecretKey 'not-the-secret' -ErrorAction SilentlyContinue }
            catch { $stop = $_ }
            finally { $null = Invoke-RekEmulator $Emulator -Route config -Body @{ LatencyMs = 0 } }

            $faces | Should -BeNullOrEmpty
            $stop.FullyQualifiedErrorId | Should -Be 'InvalidSignatureException,FaceTools.Commands.AddRekFaceToCollectionCommand'
            @(@($stop.TargetObject) + (Get-NamedImages $stop) | Sort-Object) | Should -Be @((Get-ChildItem $folder).FullName | Sort-Object)
            (Get-EmulatorLog IndexFaces).Count | Should -BeLessOrEqual 2 -Because 'no send starts after the failure'
            "$stop $($stop.ErrorDetails.Message)" | Should -Not -Match 'not-the-secret'
        }

        It 'stops promptly on Ctrl+C and sends nothing more' {
            New-Collection 'employees'
            $folder = New-PhotoFolder (1..20 | ForEach-Object { "p$_.png" })
            $null = Invoke-RekEmulator $Emulator -Route config -Body @{ LatencyMs = 500 }
            $ps = [powershell]::Create()
            try {
                $null = $ps.AddScript("Import-Module '$((Get-Module FaceTools).ModuleBase)'; Add-RekFaceToCollection -CollectionId employees -Path '$(Join-Path $folder '*.png')' -ThrottleLimit 2 -EndpointUrl '$Endpoint'")
                $out = [Management.Automation.PSDataCollection[object]]::new()
                $null = $ps.BeginInvoke([Management.Automation.PSDataCollection[object]]::new(), $out)
                $deadline = [DateTime]::UtcNow.AddSeconds(10)
                while (-not (Get-EmulatorLog IndexFaces) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
                $clock = [Diagnostics.Stopwatch]::StartNew()
                $ps.Stop()
                $clock.Elapsed.TotalSeconds | Should -BeLessThan 5
                $sent = @(Get-EmulatorLog IndexFaces).Count
                Start-Sleep -Milliseconds 800
                @(Get-EmulatorLog IndexFaces).Count | Should -Be $sent -Because 'nothing is sent after the stop'
                $sent | Should -BeLessThan 20
            }
            finally {
                $ps.Dispose()
                $null = Invoke-RekEmulator $Emulator -Route config -Body @{ LatencyMs = 0 }
            }
        }

        It 'sends an S3 object for the service to read' {
            New-Collection 'employees'
            # The emulator cannot read S3: it answers as the service does for an object it cannot get.
            $null = Add-RekFaceToCollection -CollectionId employees -S3Bucket photos-bucket -S3Key 'staff/alice 1.jpg' -ErrorVariable failures -ErrorAction SilentlyContinue
            $failures[0].FullyQualifiedErrorId | Should -Be 'InvalidS3ObjectException,FaceTools.Commands.AddRekFaceToCollectionCommand'
            $failures[0].TargetObject | Should -Be 's3://photos-bucket/staff/alice 1.jpg'
            Get-EmulatorLog IndexFaces | Should -HaveCount 1
        }
        It 'refuses a -Path that is neither a string, a file nor a folder, before any request' {
            New-Collection 'employees'
            { Add-RekFaceToCollection -CollectionId employees -Path ([pscustomobject]@{ Name = 'a.png' }) -ErrorAction Stop } |
                Should -Throw -ErrorId 'ParameterArgumentTransformationError,FaceTools.Commands.AddRekFaceToCollectionCommand' -ExpectedMessage '*A path is a string, a file or a folder*'
            Get-EmulatorLog IndexFaces | Should -BeNullOrEmpty
        }

        It 'binds piped rows and files by property name, whichever set they fit: <Case>' -ForEach @(
            @{ Case = 'CSV rows of S3 objects'; Expected = 's3://photos-bucket/staff/erin.jpg' }
            @{ Case = 'objects with FullName'; Expected = 'file' }
            @{ Case = 'Select-Object FullName, ExternalImageId'; Expected = 'file' }
            @{ Case = 'a file whose name has brackets'; Expected = 'file' }
            @{ Case = 'plain path strings'; Expected = 'file' }
            @{ Case = 'a file given to -Path'; Expected = 'file' }
            @{ Case = 'a Resolve-Path result piped'; Expected = 'file' }
            @{ Case = 'a Resolve-Path result given to -Path'; Expected = 'file' }
        ) {
            New-Collection 'employees'
            $folder = New-PhotoFolder 'photo[1].png'
            $file = Get-Item -LiteralPath (Join-Path $folder 'photo[1].png')
            $rows = switch ($Case) {
                'CSV rows of S3 objects' { 'CollectionId,S3Bucket,S3Key', 'employees,photos-bucket,staff/erin.jpg' | ConvertFrom-Csv }
                'objects with FullName' { [pscustomobject]@{ CollectionId = 'employees'; FullName = $file.FullName } }
                'Select-Object FullName, ExternalImageId' { $file | Select-Object FullName, @{ n = 'ExternalImageId'; e = { 'erin' } }, @{ n = 'CollectionId'; e = { 'employees' } } }
                'a file whose name has brackets' { $file | Add-Member -PassThru -NotePropertyName CollectionId -NotePropertyValue employees }
                'plain path strings' { [WildcardPattern]::Escape($file.FullName) }
                'a Resolve-Path result piped' { Resolve-Path -LiteralPath $file.FullName }
            }
            $switches = if ($Case -in 'plain path strings', 'a Resolve-Path result piped') { @{ CollectionId = 'employees' } } else { @{} }
            $faces = if ($Case -eq 'a file given to -Path') { Add-RekFaceToCollection -CollectionId employees -Path $file -ErrorVariable failures }
                     elseif ($Case -eq 'a Resolve-Path result given to -Path') { Add-RekFaceToCollection -CollectionId employees -Path (Resolve-Path -LiteralPath $file.FullName) -ErrorVariable failures }
                     else { $rows | Add-RekFaceToCollection @switches -ErrorVariable failures -ErrorAction SilentlyContinue }

            Get-EmulatorLog IndexFaces | Should -HaveCount 1
            if ($Expected -eq 'file') {
                $failures | Should -BeNullOrEmpty
                $faces.Path | Should -Be $file.FullName
            }
            else {
                # The emulator cannot read S3: the service's answer for an object it cannot get, naming the object.
                $failures[0].FullyQualifiedErrorId | Should -Be 'InvalidS3ObjectException,FaceTools.Commands.AddRekFaceToCollectionCommand'
                $failures[0].TargetObject | Should -Be $Expected
            }
        }
    }

    Context 'Remove-RekFaceFromCollection' {
        It 'deletes 5,000 faces in two requests of 4,096 and 904, one result per face' {
            $faces = New-TestFaces -FreeFaces 5000
            $results = $faces.FreeFaceIds | Remove-RekFaceFromCollection -CollectionId c1 -Force

            $results | Should -HaveCount 5000
            $results | Should -BeOfType FaceTools.FaceDeletionResult
            @($results | Where-Object Status -eq 'Deleted') | Should -HaveCount 5000
            $requests = Get-EmulatorLog DeleteFaces
            $requests.ForEach({ $_.FaceIds.Count }) | Should -Be @(4096, 904)
            (Get-RekFaceCollection c1).FaceCount | Should -Be 0
        }

        It 'reports deleted faces, faces of a user (with the user and a hint) and missing faces, once per distinct face' {
            $faces = New-TestFaces -Users @{ alice = 1 } -FreeFaces 2
            $missing = New-RandomFaceId
            $ids = @($faces.FreeFaceIds) + $faces.alice + $missing + $faces.FreeFaceIds[0]
            $results = $ids | Remove-RekFaceFromCollection -CollectionId c1 -Force -WarningVariable warnings -WarningAction SilentlyContinue
            $byFace = @{}; foreach ($r in $results) { $byFace[$r.FaceId] = $r }

            $results | Should -HaveCount 4
            $byFace[$faces.FreeFaceIds[0]].Status | Should -Be 'Deleted'
            $byFace[$faces.FreeFaceIds[0]].CollectionId | Should -Be 'c1'
            $held = $byFace[$faces.alice[0]]
            $held.Status | Should -Be 'Unsuccessful'
            $held.Reasons | Should -Be @('ASSOCIATED_TO_AN_EXISTING_USER')
            $held.UserId | Should -Be 'alice'
            $held.Hint | Should -Match 'Remove-RekFaceFromUser -CollectionId c1 -UserId alice'
            $byFace[$missing].Status | Should -Be 'Unsuccessful'
            $byFace[$missing].Reasons | Should -Be @('FACE_NOT_FOUND')
            $byFace[$missing].Hint | Should -BeNullOrEmpty
            $warnings | Should -HaveCount 1
            "$($warnings[0])" | Should -Match '1 face\(s\) were not deleted.*Remove-RekFaceFromUser'
            (Get-EmulatorLog DeleteFaces)[0].FaceIds | Should -HaveCount 4
        }

        It 'takes Get-RekFace output, and the refused faces go through Remove-RekFaceFromUser and back' {
            $null = New-TestFaces -Users @{ alice = 2; bob = 1 } -FreeFaces 3
            $results = Get-RekFace -CollectionId c1 | Remove-RekFaceFromCollection -Force -WarningAction SilentlyContinue
            @($results | Where-Object Status -eq 'Deleted') | Should -HaveCount 3

            $again = $results | Where-Object Reasons -contains 'ASSOCIATED_TO_AN_EXISTING_USER' |
                Remove-RekFaceFromUser -Force | Remove-RekFaceFromCollection -Force
            @($again | Where-Object Status -eq 'Deleted') | Should -HaveCount 3
            Get-RekFace -CollectionId c1 | Should -BeNullOrEmpty
        }

        It 'reads piped objects'' CollectionId, needs no UserId, and refuses an object without a collection by name' {
            $faces = New-TestFaces -FreeFaces 3
            $rows = @(
                [pscustomobject]@{ CollectionId = 'c1'; FaceId = $faces.FreeFaceIds[0] }
                [pscustomobject]@{ FaceId = $faces.FreeFaceIds[1] }
                [pscustomobject]@{ collectionid = 'c1'; FaceIds = @($faces.FreeFaceIds[2]); UserId = 'nobody' }
            )
            $results = $rows | Remove-RekFaceFromCollection -Force -ErrorVariable failures -ErrorAction SilentlyContinue

            $results.FaceId | Should -Be $faces.FreeFaceIds[0, 2]
            $results.Status | Should -Be @('Deleted', 'Deleted')
            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -Be 'InputObjectMissingMandatory,FaceTools.Commands.RemoveRekFaceFromCollectionCommand'
            $failures[0].Exception.Message | Should -BeLike "*parameter 'CollectionId'*no CollectionId property*"
            $failures[0].TargetObject | Should -Be $faces.FreeFaceIds[1]
        }

        It 'writes one error naming a failed batch''s faces' {
            $faces = New-TestFaces -FreeFaces 3
            $results = $faces.FreeFaceIds | Remove-RekFaceFromCollection -CollectionId ghost -Force -ErrorVariable failures -ErrorAction SilentlyContinue

            $results | Should -BeNullOrEmpty
            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -Be 'ResourceNotFoundException,FaceTools.Commands.RemoveRekFaceFromCollectionCommand'
            ($failures[0].TargetObject | Sort-Object) | Should -Be ($faces.FreeFaceIds | Sort-Object)
        }

        It 'has ConfirmImpact High, and -WhatIf sends nothing' {
            $faces = New-TestFaces -FreeFaces 3
            (Get-Command Remove-RekFaceFromCollection).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false).ConfirmImpact | Should -Be 'High'
            $faces.FreeFaceIds | Remove-RekFaceFromCollection -CollectionId c1 -WhatIf | Should -BeNullOrEmpty
            Get-EmulatorLog | Should -BeNullOrEmpty
        }

        It '-WhatIf names the first 100 faces of a batch and counts the rest' {
            $ids = 1..150 | ForEach-Object { [guid]::NewGuid().ToString() }
            $lines = Invoke-FreshPwsh -PassThru -Environment $EmulatorEnvironment -Command @"
Import-Module '$((Get-Module FaceTools).ModuleBase)'
'$($ids -join "','")' | Remove-RekFaceFromCollection -CollectionId c1 -WhatIf -EndpointUrl '$Endpoint'
"@
            $whatIf = @($lines | Where-Object { $_ -like 'What if:*' })
            $whatIf | Should -HaveCount 1
            $whatIf[0] | Should -BeLike "What if: Performing the operation ""Delete faces from collection"" on target ""150 face(s) in collection 'c1'"": $($ids[0]), * and 50 more."
            [regex]::Matches($whatIf[0], '[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}').Value | Should -Be $ids[0..99]
        }

        It 'rejects invalid IDs from the pipeline and still sends the valid ones' {
            $faces = New-TestFaces -FreeFaces 2
            $results = $faces.FreeFaceIds[0], 'NOT-A-FACE', $faces.FreeFaceIds[1] |
                Remove-RekFaceFromCollection -CollectionId c1 -Force -ErrorVariable failures -ErrorAction SilentlyContinue
            $results | Should -HaveCount 2
            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentValidationError*'
        }

        It 'validates the collection ID before any request' {
            { Remove-RekFaceFromCollection -CollectionId 'bad/name' -FaceId (New-RandomFaceId) -Force -ErrorAction Stop } |
                Should -Throw -ErrorId 'ParameterArgumentValidationError,FaceTools.Commands.RemoveRekFaceFromCollectionCommand'
            Get-EmulatorLog | Should -BeNullOrEmpty
        }
    }

    Context 'Find-RekUser' {
        It 'has the parameter sets FaceId (the default), UserId and ImagePath' {
            $command = Get-Command Find-RekUser
            ($command.ParameterSets.Name | Sort-Object) | Should -Be @('FaceId', 'ImagePath', 'UserId')
            $command.DefaultParameterSet | Should -Be 'FaceId'
        }

        It 'finds the user of a face first; with threshold 0, every user with faces, in the service''s order' {
            $faces = New-TestFaces -Users @{ alice = 2; bob = 1; carol = 1; dora = 0 }
            $found = Find-RekUser -CollectionId c1 -FaceId $faces.alice[0]

            $found | Should -HaveCount 1
            $found | Should -BeOfType FaceTools.UserMatch
            $found.UserId | Should -Be 'alice'
            $found.CollectionId | Should -Be 'c1'
            $found.UserStatus | Should -Not -BeNullOrEmpty
            $found.Similarity | Should -BeGreaterOrEqual 99
            $found.SearchedFaceId | Should -Be $faces.alice[0]

            $all = Find-RekUser -CollectionId c1 -FaceId $faces.alice[0] -UserMatchThreshold 0
            ($all.UserId | Sort-Object) | Should -Be @('alice', 'bob', 'carol')
            $all[0].UserId | Should -Be 'alice'
            $all.Similarity | Should -Be ($all.Similarity | Sort-Object -Descending)
            Find-RekUser -CollectionId c1 -FaceId $faces.alice[0] -UserMatchThreshold 0 -MaxUsers 1 | Should -HaveCount 1
        }

        It 'searches by user, and takes users and faces from the pipeline' {
            $faces = New-TestFaces -Users @{ alice = 2; bob = 1 }
            $byUser = Find-RekUser -CollectionId c1 -UserId bob
            $byUser.UserId | Should -Be 'bob'
            $byUser.SearchedUserId | Should -Be 'bob'

            $fromUsers = Get-RekUser -CollectionId c1 | Find-RekUser
            $fromUsers.SearchedUserId | Should -Be @('alice', 'bob')
            $fromFaces = Get-RekFace -CollectionId c1 -UserId alice | Find-RekUser
            $fromFaces | Should -HaveCount 2
            ($fromFaces.SearchedFaceId | Sort-Object) | Should -Be ($faces.alice | Sort-Object)
            Get-EmulatorLog SearchUsers | Should -HaveCount 5
        }

        It 'finds the user of the face in an image' {
            New-Collection 'c1'
            $folder = New-PhotoFolder 'alice.png', 'probe.png'
            $null = Register-RekUser -CollectionId c1 -UserId alice
            $null = Add-RekFaceToCollection -CollectionId c1 -Path (Join-Path $folder 'alice.png') | Add-RekFaceToUser -UserId alice -Force

            $match = Find-RekUser -CollectionId c1 -ImagePath (Join-Path $folder 'alice.png')
            $match.UserId | Should -Be 'alice'
            $match.SearchedImagePath | Should -Be (Join-Path $folder 'alice.png')
            Find-RekUser -CollectionId c1 -ImagePath (Join-Path $folder 'probe.png') | Should -BeNullOrEmpty
            $fromFile = Get-Item (Join-Path $folder 'alice.png') | Find-RekUser -CollectionId c1
            $fromFile.UserId | Should -Be 'alice'
            Get-EmulatorLog SearchUsersByImage | Should -HaveCount 3
        }

        It 'checks -ImagePath images as Add-RekFaceToCollection does, before any request: <ErrorId>' -TestCases @(
            @{ ErrorId = 'ImageTooLarge'; Length = 5242881; Bytes = $null }
            @{ ErrorId = 'InvalidImageFormat'; Length = 0; Bytes = [Text.Encoding]::ASCII.GetBytes('GIF89a') }
        ) {
            New-Collection 'c1'
            $file = Join-Path $TestDrive 'probe.png'
            if ($Bytes) { [IO.File]::WriteAllBytes($file, $Bytes) } else { $null = New-SizedPng $file $Length }
            { Find-RekUser -CollectionId c1 -ImagePath $file -ErrorAction Stop } | Should -Throw -ErrorId "$ErrorId,FaceTools.Commands.FindRekUserCommand"
            Get-EmulatorLog | Should -BeNullOrEmpty
        }

        It 'validates <Case> before any request' -TestCases @(
            @{ Case = 'UserMatchThreshold 101'; Arguments = @{ UserMatchThreshold = 101 } }
            @{ Case = 'UserMatchThreshold -1'; Arguments = @{ UserMatchThreshold = -1 } }
            @{ Case = 'MaxUsers 0'; Arguments = @{ MaxUsers = 0 } }
            @{ Case = 'MaxUsers 501'; Arguments = @{ MaxUsers = 501 } }
            @{ Case = 'an invalid face ID'; Arguments = @{ FaceId = 'NOT-A-FACE' } }
        ) {
            $splat = @{ CollectionId = 'c1'; FaceId = (New-RandomFaceId) }
            foreach ($key in $Arguments.Keys) { $splat[$key] = $Arguments[$key] }
            { Find-RekUser @splat -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError,FaceTools.Commands.FindRekUserCommand'
            Get-EmulatorLog | Should -BeNullOrEmpty
        }

        It 'reports an unknown face as ResourceNotFoundException' {
            New-Collection 'c1'
            { Find-RekUser -CollectionId c1 -FaceId (New-RandomFaceId) -ErrorAction Stop } |
                Should -Throw -ErrorId 'ResourceNotFoundException,FaceTools.Commands.FindRekUserCommand'
        }
    }

    Context 'Names' {
        It '<Name> collides with none of AWS.Tools.Rekognition''s names, in any case' -TestCases @(
            @{ Name = 'New-RekFaceCollection' }, @{ Name = 'Get-RekFaceCollection' }, @{ Name = 'Remove-RekFaceCollection' },
            @{ Name = 'Add-RekFaceToCollection' }, @{ Name = 'Remove-RekFaceFromCollection' }, @{ Name = 'Find-RekUser' }
        ) {
            $peer = 'Add-REKREKFacesToUser', 'Remove-REKREKFacesFromUser', 'New-REKUser', 'Remove-REKUser', 'Get-REKUserList',
                'Get-REKFaceList', 'Remove-REKFace', 'Add-REKDetectedFacesToCollection', 'Search-REKUser', 'Search-REKUsersByImage',
                'New-REKCollection', 'Get-REKCollectionIdList', 'Get-REKCollection', 'Remove-REKCollection'
            Get-Command $Name -Module FaceTools | Should -Not -BeNullOrEmpty
            $peer -contains $Name | Should -BeFalse
        }
    }

    Context 'A face admin''s day' {
        It 'creates a collection, indexes a folder, registers and associates users, finds by image, removes, deletes' {
            $photos = New-PhotoFolder 'alice_1.png', 'alice_2.png', 'bob_1.png', 'bob_2.png', 'visitor.png'

            $collection = New-RekFaceCollection -CollectionId staff -Tag @{ owner = 'facilities' }
            $collection.CollectionId | Should -Be 'staff'

            $indexed = Get-ChildItem $photos -Filter *.png | Add-RekFaceToCollection -CollectionId staff
            @($indexed | Where-Object Status -eq Indexed) | Should -HaveCount 5

            $users = 'alice', 'bob' | Register-RekUser -CollectionId staff
            $users.UserId | Should -Be @('alice', 'bob')

            foreach ($user in 'alice', 'bob') {
                $associated = $indexed | Where-Object ExternalImageId -like "$($user)_*" | Add-RekFaceToUser -UserId $user -Force
                @($associated | Where-Object Status -eq Associated) | Should -HaveCount 2
            }

            $found = Find-RekUser -CollectionId staff -ImagePath (Join-Path $photos 'bob_2.png')
            $found[0].UserId | Should -Be 'bob'

            $removed = Get-RekFace -CollectionId staff -UserId bob | Remove-RekFaceFromUser -Force
            @($removed | Where-Object Status -eq Disassociated) | Should -HaveCount 2

            $deleted = $indexed | Where-Object ExternalImageId -like 'bob_*' | Remove-RekFaceFromCollection -Force
            @($deleted | Where-Object Status -eq Deleted) | Should -HaveCount 2
            (Get-RekFaceCollection staff).FaceCount | Should -Be 3
            (Get-RekFaceCollection staff).UserCount | Should -Be 2

            Remove-RekFaceCollection -CollectionId staff -Force
            Get-RekFaceCollection | Should -BeNullOrEmpty
            $log = (Get-EmulatorLog).Operation
            $log | Should -Contain 'CreateCollection'
            $log | Should -Contain 'DeleteCollection'
            @($log | Where-Object { $_ -eq 'IndexFaces' }) | Should -HaveCount 5
        }
    }
}
