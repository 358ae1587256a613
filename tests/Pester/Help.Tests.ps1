# The help: every exported command has complete help, its page in docs/ matches the command's real
# parameters, and every example in the docs runs, without an error, against the emulator.
BeforeDiscovery {
    $root = Join-Path $PSScriptRoot '../..'
    $modulePath = if ($env:FACETOOLS_MODULE_PATH) { $env:FACETOOLS_MODULE_PATH } else { Join-Path $root 'out/FaceTools' }
    Import-Module $modulePath -Force
    Import-Module (Join-Path $root 'src/Help/MarkdownHelp.psm1') -Force

    $Commands = @(Get-Command -Module FaceTools | Sort-Object Name | ForEach-Object {
            @{ Name = $_.Name; Page = Join-Path $root "docs/$($_.Name).md" }
        })
    $Examples = @(foreach ($command in $Commands) {
            if (-not (Test-Path $command.Page)) { continue }
            try {
                $number = 0
                foreach ($example in (Read-MarkdownCommandHelp -Path $command.Page).Examples) {
                    $number++
                    $code = @($example.Code | Where-Object Language -eq 'powershell' | ForEach-Object Text) -join "`n"
                    @{ Command = $command.Name; Number = $number; Title = $example.Title; Code = $code; ParseError = $null }
                }
            }
            catch { @{ Command = $command.Name; Number = 0; Title = 'the page parses'; Code = ''; ParseError = "$_" } }
        })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $Root = Join-Path $PSScriptRoot '../..'
    Import-Module (Join-Path $Root 'src/Help/MarkdownHelp.psm1') -Force
    $CommonParameters = [System.Management.Automation.PSCmdlet]::CommonParameters

    # The type name PlatyPS writes for a parameter.
    function Get-PlatyTypeName([type] $Type) {
        if ($Type.Name -eq 'Nullable`1') { return $Type.GenericTypeArguments[0].Name }
        if ($Type.IsGenericType) { return $Type.ToString() }
        $Type.Name
    }

    function Get-PipelineText($Parameter) {
        if ($Parameter.ValueFromPipeline) { if ($Parameter.ValueFromPipelineByPropertyName) { 'True (ByPropertyName, ByValue)' } else { 'True (ByValue)' } }
        elseif ($Parameter.ValueFromPipelineByPropertyName) { 'True (ByPropertyName)' }
        else { 'False' }
    }

    function Format-ParameterRecord([string] $Name, [string] $Type, [string[]] $Sets, [string[]] $Aliases, $Required, [string] $Position, [string] $Pipeline, $Wildcard) {
        "-$Name | Type: $Type | Parameter Sets: $((@($Sets) | Sort-Object) -join ', ') | Aliases: $((@($Aliases) | Sort-Object) -join ', ') | " +
        "Required: $Required | Position: $Position | Accept pipeline input: $Pipeline | Accept wildcard characters: $Wildcard"
    }

    # What PlatyPS writes in a page's yaml blocks for the command's real metadata: one record per
    # parameter and distinct (Required, Position, pipeline input) across its parameter sets.
    function Get-CodeParameterRecord($Command) {
        $setCount = $Command.ParameterSets.Count
        foreach ($parameter in $Command.Parameters.Values | Where-Object Name -notin $CommonParameters) {
            $wildcard = [bool]($parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
            $perSet = foreach ($set in $Command.ParameterSets) {
                $inSet = $set.Parameters | Where-Object Name -eq $parameter.Name
                if ($inSet) {
                    [pscustomobject]@{
                        Set = $set.Name; Required = $inSet.IsMandatory; Pipeline = Get-PipelineText $inSet
                        Position = if ($inSet.Position -ge 0) { "$($inSet.Position)" } else { 'Named' }
                    }
                }
            }
            foreach ($group in $perSet | Group-Object Required, Position, Pipeline) {
                $sets = if ($setCount -eq 1 -or $group.Count -eq $setCount) { '(All)' } else { $group.Group.Set }
                $first = $group.Group[0]
                Format-ParameterRecord $parameter.Name (Get-PlatyTypeName $parameter.ParameterType) $sets $parameter.Aliases $first.Required $first.Position $first.Pipeline $wildcard
            }
        }
    }

    function Get-DocParameterRecord($Doc) {
        foreach ($parameter in $Doc.Parameters) {
            foreach ($entry in $parameter.Entries) {
                Format-ParameterRecord $parameter.Name $entry.Type $entry.ParameterSets $entry.Aliases $entry.Required $entry.Position $entry.PipelineInput $entry.Globbing
            }
        }
    }

    # The syntax line PlatyPS writes for a parameter set, wrapped before 110 characters.
    function Get-ExpectedSyntax($Command, $Set) {
        $parameters = @($Set.Parameters | Where-Object Name -notin $CommonParameters)
        $ordered = @($parameters | Where-Object Position -ge 0 | Sort-Object Position) + @($parameters | Where-Object Position -lt 0)
        $items = foreach ($p in $ordered) {
            $type = Get-PlatyTypeName $p.ParameterType
            if ($type -eq 'SwitchParameter') { "[-$($p.Name)]"; continue }
            $item = if ($p.Position -ge 0) { "[-$($p.Name)] <$type>" } else { "-$($p.Name) <$type>" }
            if ($p.IsMandatory) { $item } else { "[$item]" }
        }
        $text = [Text.StringBuilder]::new($Command.Name)
        $lineStart = 0
        foreach ($item in @($items) + '[<CommonParameters>]') {
            if ($text.Length - $lineStart + $item.Length -gt 110) { $null = $text.Append("`n"); $lineStart = $text.Length }
            $null = $text.Append(" $item")
        }
        $text.ToString()
    }

    # What a syntax line says, whatever its line breaks and the order of its named parameters: the
    # command, the positional parameters in order, then the others sorted.
    function Get-SyntaxShape([string] $Syntax) {
        $name, $rest = ($Syntax -replace '\s+', ' ').Trim() -split ' ', 2
        $tokens = @([regex]::Matches($rest, '\[\[-\w+\] <[^>]+>\]|\[-\w+\] <[^>]+>|\[-\w+ <[^>]+>\]|-\w+ <[^>]+>|\[-\w+\]|\[<CommonParameters>\]').Value)
        if (($tokens -join ' ') -ne $rest) { return "$name (not a syntax line): $rest" }
        $positional = @($tokens | Where-Object { $_ -match '\] <' })
        $named = @($tokens | Where-Object { $_ -notmatch '\] <' } | Sort-Object)
        (@($name) + $positional + $named) -join ' '
    }

    function Compare-Record([string[]] $Code, [string[]] $Docs) {
        Compare-Object @($Code) @($Docs) | ForEach-Object {
            if ($_.SideIndicator -eq '<=') { "in the code, not in the docs: $($_.InputObject)" } else { "in the docs, not in the code: $($_.InputObject)" }
        }
    }
}

AfterAll {
    Stop-RekEmulator $Emulator
}

Describe 'Help of <Name>' -ForEach $Commands {
    BeforeAll {
        $help = Get-Help $Name -Full
    }

    It 'has a synopsis of its own' {
        $syntax = (Get-Command $Name -Syntax).Trim()
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis.Trim() | Should -Not -Be $syntax
        $help.Synopsis | Should -Not -Match "^\s*$([regex]::Escape($Name))\s"
    }

    It 'has a description' {
        ($help.description.Text -join '').Trim() | Should -Not -BeNullOrEmpty
    }

    It 'describes every parameter' {
        $parameters = (Get-Command $Name).Parameters.Keys | Where-Object { $_ -notin $CommonParameters }
        foreach ($parameter in $parameters) {
            $entry = @($help.parameters.parameter | Where-Object name -eq $parameter)
            $entry | Should -HaveCount 1 -Because "-$parameter needs help"
            ($entry[0].description.Text -join '').Trim() | Should -Not -BeNullOrEmpty -Because "-$parameter needs a description"
        }
    }

    It 'has at least three examples with code and remarks' {
        $examples = @($help.examples.example)
        $examples.Count | Should -BeGreaterOrEqual 3
        foreach ($example in $examples) {
            $example.code | Should -Not -BeNullOrEmpty -Because $example.title
            ($example.remarks.Text -join '').Trim() | Should -Not -BeNullOrEmpty -Because $example.title
        }
    }

    It 'links to its online version first' {
        $uri = @($help.relatedLinks.navigationLink)[0].uri
        $uri | Should -Be "https://github.com/facetools-ps/FaceTools/blob/main/docs/$Name.md"
        @($help.relatedLinks.navigationLink.linkText) | Should -Contain 'about_FaceTools'
    }
}

Describe 'about_FaceTools' {
    BeforeAll {
        $markdown = Get-Content -Raw (Join-Path $Root 'docs/about_FaceTools.md')
        $titles = [regex]::Matches($markdown, '(?m)^#{2,3} (.+?)\s*$') | ForEach-Object { $_.Groups[1].Value }
    }

    It 'is shown by Get-Help, with every section title' {
        $text = Get-Help about_FaceTools | Out-String
        $text | Should -Match 'about_FaceTools'
        $titles | Should -Not -BeNullOrEmpty
        foreach ($title in $titles) { $text | Should -Match ([regex]::Escape($title)) -Because "the section '$title' is in the markdown" }
    }

    It 'covers <Topic>' -ForEach @(
        @{ Topic = 'SHORT DESCRIPTION' }, @{ Topic = 'LONG DESCRIPTION' }, @{ Topic = 'Credentials and Region' },
        @{ Topic = 'Batching and de-duplication' }, @{ Topic = 'Idempotency tokens' }, @{ Topic = 'Result statuses' },
        @{ Topic = 'Errors and retries' }, @{ Topic = 'IDs read from files' }, @{ Topic = 'Unattended scripts and runbooks' },
        @{ Topic = 'Other endpoints and emulators' }, @{ Topic = 'Security' }, @{ Topic = 'SEE ALSO' }
    ) {
        $titles | Should -Contain $Topic
    }
}

Describe 'The docs match the code' {
    It 'docs/<Name>.md documents exactly the parameters of <Name>' -ForEach $Commands {
        $Page | Should -Exist
        $doc = Read-MarkdownCommandHelp -Path $Page
        $doc.Name | Should -BeExactly $Name
        $command = Get-Command $Name
        $difference = Compare-Record (Get-CodeParameterRecord $command) (Get-DocParameterRecord $doc)
        $difference | Should -BeNullOrEmpty -Because "docs/$Name.md must describe each parameter as the code declares it"
        $doc.SupportsCommonParameters | Should -BeTrue -Because 'the page needs its ### CommonParameters section'
    }

    It 'docs/<Name>.md shows the syntax of each parameter set' -ForEach $Commands {
        $doc = Read-MarkdownCommandHelp -Path $Page
        $command = Get-Command $Name
        $expected = foreach ($set in $command.ParameterSets) {
            $heading = if ($command.ParameterSets.Count -gt 1) { "$($set.Name)$(if ($set.IsDefault) { ' (Default)' })" } else { $null }
            "$heading|$(Get-SyntaxShape (Get-ExpectedSyntax $command $set))"
        }
        $documented = foreach ($syntax in $doc.Syntax) { "$($syntax.ParameterSet)|$(Get-SyntaxShape $syntax.Text)" }
        $difference = Compare-Record $expected $documented
        $difference | Should -BeNullOrEmpty -Because "docs/$Name.md should show, for example:`n$(($command.ParameterSets | ForEach-Object { Get-ExpectedSyntax $command $_ }) -join "`n")"
    }

    It 'has a page for every command, and no page for a command that does not exist' {
        $pages = Get-ChildItem (Join-Path $Root 'docs') -Filter '*-*.md' | ForEach-Object BaseName
        Compare-Record ((Get-Command -Module FaceTools).Name) $pages | Should -BeNullOrEmpty
    }

    It 'the module page lists every command with its synopsis, and the module''s GUID' {
        $modulePage = Get-Content -Raw (Join-Path $Root 'docs/FaceTools.md')
        $manifest = Import-PowerShellDataFile (Join-Path $Root 'FaceTools.psd1')
        $modulePage | Should -Match "(?m)^Module Guid: $($manifest.GUID)\s*$"
        foreach ($command in Get-Command -Module FaceTools) {
            $synopsis = (Read-MarkdownCommandHelp -Path (Join-Path $Root "docs/$($command.Name).md")).Synopsis -join ' '
            $modulePage | Should -Match "(?m)^### \[$($command.Name)\]\($($command.Name)\.md\)\r?\n$([regex]::Escape($synopsis))\s*$"
        }
    }
}

Describe 'The examples run' {
    BeforeAll {
        # The collection every example starts from: users alice, bob and carol with generated faces,
        # free faces, and three faces indexed from photos (carol_badge.jpg, dave_1.jpg, dave_2.jpg).
        $Seed = @{
            Collections = @(@{ CollectionId = 'employees'; Faces = @(
                        @{ ExternalImageId = 'carol_badge.jpg' }, @{ ExternalImageId = 'dave_1.jpg' }, @{ ExternalImageId = 'dave_2.jpg' }) })
            Generate    = @{
                CollectionId = 'employees'; FreeFaces = 5
                Users = @(@{ UserId = 'alice'; FaceCount = 10 }, @{ UserId = 'bob'; FaceCount = 5 }, @{ UserId = 'carol'; FaceCount = 3 })
            }
        }
        $null = Invoke-RekEmulator $Emulator -Route reset
        $generated = (Invoke-RekEmulator $Emulator -Route seed -Body $Seed).Generated
        $Faces = @{}
        foreach ($user in $generated.Users) { $Faces[$user.UserId] = @($user.FaceIds) }

        # The files the examples read, as a user would have them: Windows line endings included.
        $Files = @{
            'faces.txt'     = $Faces.alice[0..2] -join "`r`n"
            'leavers.csv'   = @('CollectionId,UserId,FaceId', "employees,alice,$($Faces.alice[3])", "employees,alice,$($Faces.alice[4])", "employees,bob,$($Faces.bob[0])") -join "`r`n"
            'leavers.txt'   = "bob`r`ncarol`r`n"
            'new-hires.txt' = "dave`r`nerin`r`n"
            # The examples' named profile: the emulator's keys.
            'credentials'   = @('[default]', '[faces-admin]') | ForEach-Object {
                "$_`naws_access_key_id = $(Get-RekEmulatorAccessKey)`naws_secret_access_key = $(Get-RekEmulatorSecretKey)`n"
            } | Join-String
        }
    }

    BeforeEach {
        $null = Invoke-RekEmulator $Emulator -Route reset
        $null = Invoke-RekEmulator $Emulator -Route seed -Body $Seed
        $work = Join-Path $TestDrive ([guid]::NewGuid())
        $null = New-Item -ItemType Directory $work
        foreach ($name in $Files.Keys) { [IO.File]::WriteAllText((Join-Path $work $name), $Files[$name]) }
        # The photos the indexing and search examples read: small JPEGs, each with its own bytes.
        $null = New-Item -ItemType Directory (Join-Path $work 'photos')
        foreach ($image in 'photos/erin_1.jpg', 'photos/erin_2.jpg', 'door.jpg') {
            [IO.File]::WriteAllBytes((Join-Path $work $image), [byte[]](0xFF, 0xD8, 0xFF, 0xE0) + [Text.Encoding]::ASCII.GetBytes($image) + [byte[]](0xFF, 0xD9))
        }
        $PSDefaultParameterValues['*-Rek*:ProfileLocation'] = Join-Path $work 'credentials'
        Push-Location $work
    }

    AfterEach {
        Pop-Location
        $PSDefaultParameterValues.Remove('*-Rek*:ProfileLocation')
    }

    It '<Command> example <Number>: <Title>' -ForEach $Examples {
        if ($ParseError) { throw $ParseError }
        $Code | Should -Not -BeNullOrEmpty
        $Error.Clear()
        $ErrorActionPreference = 'Stop'
        $null = & ([scriptblock]::Create($Code))
        $ErrorActionPreference = 'Continue'
        $Error | Should -BeNullOrEmpty -Because 'an example must not write an error'
    }

    It 'the token derivation in about_FaceTools gives the tokens the cmdlets send' {
        $markdown = Get-Content -Raw (Join-Path $Root 'docs/about_FaceTools.md')
        $snippet = [regex]::Matches($markdown, '(?s)```powershell\r?\n(.*?)```') | ForEach-Object { $_.Groups[1].Value } | Where-Object { $_ -match 'SHA256' }
        $snippet | Should -HaveCount 1
        $documented = & ([scriptblock]::Create($snippet))
        # The snippet's inputs: token 'offboard-alice-20240630', collection employees, user alice, index 0.
        $null = Get-Content ./faces.txt | Remove-RekFaceFromUser -CollectionId employees -UserId alice -ClientRequestToken 'offboard-alice-20240630' -Force
        (Get-EmulatorLog DisassociateFaces).ClientRequestToken | Should -Be $documented
    }
}

Describe 'The markdown converter' {
    BeforeAll {
        $Yaml = @'
```yaml
Type: {0}
Parameter Sets: (All)
Aliases:{1}

Required: {2}
Position: {3}
Default value: None
Accept pipeline input: {4}
Accept wildcard characters: False
```
'@
        $PageText = @"
---
external help file: Test.dll-Help.xml
Module Name: Test
online version: https://example.com/Get-Thing.md
schema: 2.0.0
---

# Get-Thing

## SYNOPSIS
Gets things.

## SYNTAX

``````
Get-Thing [-Name] <String> [-Fast] [<CommonParameters>]
``````

## DESCRIPTION
Gets **things**
from the store.

Second paragraph, see [the store](https://example.com/store).

## EXAMPLES

### Example 1: Get a thing
``````powershell
Get-Thing -Name a
``````

Gets the thing named a.

## PARAMETERS

### -Fast
Goes fast.

$($Yaml -f 'SwitchParameter', '', 'False', 'Named', 'False')

### -Name
The name.

$($Yaml -f 'String', ' n', 'True', '0', 'True (ByValue)')

### CommonParameters
This cmdlet supports the common parameters.

## INPUTS

### System.String
A name.

## OUTPUTS

### Test.Thing
A thing.

## NOTES
Handle with care.

## RELATED LINKS

[about_Test](about_Test.md)
"@
        $Ns = @{ msh = 'http://msh'; maml = 'http://schemas.microsoft.com/maml/2004/10'; command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'; dev = 'http://schemas.microsoft.com/maml/dev/2004/10' }
        function Select-Maml([xml] $Document, [string] $XPath) { @(Select-Xml -Xml $Document -XPath $XPath -Namespace $Ns | ForEach-Object Node) }
    }

    It 'writes the MAML nodes Get-Help reads' {
        $page = Join-Path $TestDrive 'Get-Thing.md'
        Set-Content -LiteralPath $page -Value $PageText
        $output = Join-Path $TestDrive 'en-US/Test.dll-Help.xml'
        ConvertTo-MamlHelp -Path $page -OutputPath $output
        $maml = [xml](Get-Content -Raw $output)
        $command = '/msh:helpItems[@schema="maml"]/command:command'

        (Select-Maml $maml "$command/command:details/command:name").InnerText | Should -Be 'Get-Thing'
        (Select-Maml $maml "$command/command:details/command:verb").InnerText | Should -Be 'Get'
        (Select-Maml $maml "$command/command:details/command:noun").InnerText | Should -Be 'Thing'
        (Select-Maml $maml "$command/command:details/maml:description/maml:para").InnerText | Should -Be 'Gets things.'
        (Select-Maml $maml "$command/maml:description/maml:para").InnerText |
            Should -Be @('Gets things from the store.', 'Second paragraph, see the store (https://example.com/store).')

        $syntax = @(Select-Maml $maml "$command/command:syntax/command:syntaxItem")
        $syntax | Should -HaveCount 1
        (Select-Maml $maml "$command/command:syntax/command:syntaxItem/command:parameter/maml:name").InnerText | Should -Be @('Name', 'Fast')
        Select-Maml $maml "$command/command:syntax/command:syntaxItem/command:parameter[maml:name='Fast']/command:parameterValue" | Should -BeNullOrEmpty

        $name = @(Select-Maml $maml "$command/command:parameters/command:parameter[maml:name='Name']")
        $name | Should -HaveCount 1
        $name[0].required | Should -Be 'true'
        $name[0].position | Should -Be '0'
        $name[0].pipelineInput | Should -Be 'True (ByValue)'
        $name[0].globbing | Should -Be 'false'
        $name[0].aliases | Should -Be 'n'
        (Select-Maml $maml "$command/command:parameters/command:parameter[maml:name='Name']/dev:type/maml:name").InnerText | Should -Be 'String'
        (Select-Maml $maml "$command/command:parameters/command:parameter[maml:name='Name']/command:parameterValue").InnerText | Should -Be 'String'
        (Select-Maml $maml "$command/command:parameters/command:parameter[maml:name='Fast']").position | Should -Be 'named'
        (Select-Maml $maml "$command/command:parameters/command:parameter[maml:name='Fast']/dev:defaultValue").InnerText | Should -Be 'False'
        Select-Maml $maml "$command/command:parameters/command:parameter[maml:name='CommonParameters']" | Should -BeNullOrEmpty

        (Select-Maml $maml "$command/command:inputTypes/command:inputType/dev:type/maml:name").InnerText | Should -Be 'System.String'
        (Select-Maml $maml "$command/command:returnValues/command:returnValue/dev:type/maml:name").InnerText | Should -Be 'Test.Thing'
        (Select-Maml $maml "$command/maml:alertSet/maml:alert/maml:para").InnerText | Should -Be 'Handle with care.'

        (Select-Maml $maml "$command/command:examples/command:example/maml:title").InnerText |
            Should -Be (('-' * 20) + ' Example 1: Get a thing ' + ('-' * 20))
        (Select-Maml $maml "$command/command:examples/command:example/dev:code").InnerText | Should -Be 'Get-Thing -Name a'
        (Select-Maml $maml "$command/command:examples/command:example/dev:remarks/maml:para").InnerText | Should -Be 'Gets the thing named a.'

        $links = @(Select-Maml $maml "$command/command:relatedLinks/maml:navigationLink")
        $links | Should -HaveCount 2
        $links[0].linkText | Should -Be 'Online Version:'
        $links[0].uri | Should -Be 'https://example.com/Get-Thing.md'
        $links[1].linkText | Should -Be 'about_Test'
        $links[1].uri | Should -Be ''
    }

    It 'throws naming the file and the heading when a page has no ## SYNOPSIS' {
        $page = Join-Path $TestDrive 'Get-Broken.md'
        Set-Content -LiteralPath $page -Value ($PageText -replace '(?ms)^## SYNOPSIS\r?\nGets things\.\r?\n', '')
        { ConvertTo-MamlHelp -Path $page -OutputPath (Join-Path $TestDrive 'broken/Test.dll-Help.xml') } |
            Should -Throw -ExpectedMessage "*Get-Broken.md*## SYNOPSIS*missing*"
    }

    It 'throws naming the parameter when its yaml block lacks a key' {
        $page = Join-Path $TestDrive 'Get-Partial.md'
        Set-Content -LiteralPath $page -Value ($PageText -replace '(?m)^Position: 0\r?\n', '')
        { Read-MarkdownCommandHelp -Path $page } | Should -Throw -ExpectedMessage "*Get-Partial.md*### -Name*Position*"
    }

    It 'writes an about topic as text: headings in capitals, text indented and wrapped at 80 columns' {
        $page = Join-Path $TestDrive 'about_Test.md'
        Set-Content -LiteralPath $page -Value @"
# about_Test

## SHORT DESCRIPTION
Tests things.

## LONG DESCRIPTION
$('A long line of words. ' * 10)

### A subsection
- an item

``````powershell
Get-Thing
``````

## SEE ALSO
- Get-Thing
"@
        $output = Join-Path $TestDrive 'en-US/about_Test.help.txt'
        ConvertTo-AboutHelp -Path $page -OutputPath $output
        $lines = Get-Content $output
        $lines[0..1] | Should -Be @('TOPIC', '    about_Test')
        $lines | Should -Contain 'SHORT DESCRIPTION'
        $lines | Should -Contain '    Tests things.'
        $lines | Should -Contain '  A SUBSECTION'
        $lines | Should -Contain '    - an item'
        $lines | Should -Contain '        Get-Thing'
        $lines | Should -Contain 'SEE ALSO'
        $lines | Where-Object Length -gt 80 | Should -BeNullOrEmpty
    }

    It 'refuses an about topic without its first heading' {
        $page = Join-Path $TestDrive 'about_Other.md'
        Set-Content -LiteralPath $page -Value "## SHORT DESCRIPTION`nText."
        { ConvertTo-AboutHelp -Path $page -OutputPath (Join-Path $TestDrive 'x.txt') } | Should -Throw -ExpectedMessage '*about_Other.md*# about_Other*'
    }
}
