<#
    Compiles help written in PlatyPS markdown (schema 2.0.0) into the files Get-Help reads, where the
    platyPS module is not installed:

      ConvertTo-MamlHelp   cmdlet pages -> one MAML file, in the shape PlatyPS 0.14's New-ExternalHelp writes
      ConvertTo-AboutHelp  an about topic page -> its about_*.help.txt
      Read-MarkdownCommandHelp  a cmdlet page -> the parsed page, as the converter sees it

    It reads that schema and nothing else: a page that breaks it stops the conversion with an error that
    names the file and the heading.
#>
Set-StrictMode -Version 3.0

$script:Ns = @{
    msh     = 'http://msh'
    maml    = 'http://schemas.microsoft.com/maml/2004/10'
    command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    dev     = 'http://schemas.microsoft.com/maml/dev/2004/10'
    MSHelp  = 'http://msdn.microsoft.com/mshelp'
}
$script:Sections = 'SYNOPSIS', 'SYNTAX', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS', 'INPUTS', 'OUTPUTS', 'NOTES', 'RELATED LINKS'
$script:YamlKeys = 'Type', 'Parameter Sets', 'Aliases', 'Accepted values', 'Required', 'Position', 'Default value',
    'Accept pipeline input', 'Accept wildcard characters'
$script:RequiredYamlKeys = 'Type', 'Parameter Sets', 'Aliases', 'Required', 'Position', 'Default value',
    'Accept pipeline input', 'Accept wildcard characters'

function Stop-Page([string] $Path, [string] $Heading, [string] $Message) {
    throw "$Path, at '$Heading': $Message"
}

# A page as front matter plus a flat list of blocks: Heading (Level, Text), Code (Language, Text) and
# Text (one paragraph: its lines, without the blank lines around it).
function Read-MarkdownBlock([string] $Path) {
    if (-not (Test-Path -LiteralPath $Path -PathType Leaf)) { throw "$Path does not exist." }
    $lines = [IO.File]::ReadAllText((Resolve-Path -LiteralPath $Path).ProviderPath) -split '\r?\n'
    $metadata = [ordered]@{}
    $i = 0
    if ($lines.Count -gt 0 -and $lines[0] -eq '---') {
        for ($i = 1; $i -lt $lines.Count -and $lines[$i] -ne '---'; $i++) {
            if ($lines[$i] -match '^([^:]+):\s*(.*)$') { $metadata[$Matches[1].Trim()] = $Matches[2].Trim() }
            elseif ($lines[$i].Trim()) { Stop-Page $Path 'front matter' "'$($lines[$i])' is not a 'key: value' line." }
        }
        if ($i -ge $lines.Count) { Stop-Page $Path 'front matter' "the front matter has no closing '---'." }
        $i++
    }

    $blocks = [Collections.Generic.List[object]]::new()
    $paragraph = $null
    $heading = '(top of page)'
    for (; $i -lt $lines.Count; $i++) {
        $line = $lines[$i]
        if ($line -match '^```(\S*)\s*$') {
            $language = $Matches[1]
            $code = [Collections.Generic.List[string]]::new()
            for ($i++; $i -lt $lines.Count -and $lines[$i] -notmatch '^```\s*$'; $i++) { $code.Add($lines[$i]) }
            if ($i -ge $lines.Count) { Stop-Page $Path $heading 'a code block has no closing fence.' }
            $blocks.Add([pscustomobject]@{ Kind = 'Code'; Language = $language; Text = $code -join "`n"; Heading = $heading })
            $paragraph = $null
        }
        elseif ($line -match '^(#{1,6})\s+(.+?)\s*$') {
            $heading = $line.Trim()
            $blocks.Add([pscustomobject]@{ Kind = 'Heading'; Level = $Matches[1].Length; Text = $Matches[2]; Heading = $heading })
            $paragraph = $null
        }
        elseif (-not $line.Trim()) { $paragraph = $null }
        else {
            if ($line -match '^\s*\|') { Stop-Page $Path $heading 'tables are not part of the schema; write a list or paragraphs.' }
            if ($null -eq $paragraph) {
                $paragraph = [pscustomobject]@{ Kind = 'Text'; Lines = [Collections.Generic.List[string]]::new(); Heading = $heading }
                $blocks.Add($paragraph)
            }
            $paragraph.Lines.Add($line)
        }
    }
    [pscustomobject]@{ Path = $Path; Metadata = $metadata; Blocks = $blocks }
}

# Markdown inline text as help shows it: links as "text (uri)", no emphasis marks or escapes.
function ConvertTo-PlainText([string] $Text) {
    $Text = [regex]::Replace($Text, '\[([^\]]+)\]\(([^)]*)\)', {
            param($m)
            if ($m.Groups[2].Value -match '^https?://') { "$($m.Groups[1].Value) ($($m.Groups[2].Value))" } else { $m.Groups[1].Value }
        })
    $Text = $Text -replace '\*\*(.+?)\*\*', '$1'
    $Text -replace '\\([\\`*_{}\[\]()<>#+.!-])', '$1'
}

# One paragraph block as help paragraphs: its lines joined, or one paragraph per list item.
function ConvertTo-Paragraph($Block) {
    $items = [Collections.Generic.List[string]]::new()
    $isList = $Block.Lines[0] -match '^\s*([-*]|\d+\.)\s'
    foreach ($line in $Block.Lines) {
        if ($isList -and $line -match '^\s*([-*]|\d+\.)\s') { $items.Add($line.Trim()) }
        elseif ($items.Count -gt 0) { $items[$items.Count - 1] += ' ' + $line.Trim() }
        else { $items.Add($line.Trim()) }
    }
    $items | ForEach-Object { ConvertTo-PlainText $_ }
}

# Text blocks only, up to the next heading or code block; anything else is the caller's to judge.
function Read-Paragraphs($Blocks, [ref] $Index) {
    $paragraphs = [Collections.Generic.List[string]]::new()
    while ($Index.Value -lt $Blocks.Count -and $Blocks[$Index.Value].Kind -eq 'Text') {
        foreach ($p in ConvertTo-Paragraph $Blocks[$Index.Value]) { $paragraphs.Add($p) }
        $Index.Value++
    }
    , $paragraphs.ToArray()
}

function Read-Yaml($Block, [string] $Path) {
    $values = [ordered]@{}
    foreach ($line in $Block.Text -split "`n") {
        if (-not $line.Trim()) { continue }
        if ($line -notmatch '^([^:]+):\s*(.*)$') { Stop-Page $Path $Block.Heading "'$line' is not a 'key: value' line." }
        $key = $Matches[1].Trim()
        if ($script:YamlKeys -notcontains $key) { Stop-Page $Path $Block.Heading "unknown key '$key' in the yaml block." }
        $values[$key] = $Matches[2].Trim()
    }
    foreach ($key in $script:RequiredYamlKeys) {
        if (-not $values.Contains($key)) { Stop-Page $Path $Block.Heading "the yaml block has no '$key'." }
    }
    foreach ($key in 'Required', 'Accept wildcard characters') {
        if ($values[$key] -notin 'True', 'False') { Stop-Page $Path $Block.Heading "'$key' must be True or False, not '$($values[$key])'." }
    }
    if ($values['Position'] -notmatch '^(Named|\d+)$') { Stop-Page $Path $Block.Heading "'Position' must be Named or a number, not '$($values['Position'])'." }
    [pscustomobject]@{
        Type          = $values['Type']
        ParameterSets = @($values['Parameter Sets'] -split ',' | ForEach-Object Trim | Where-Object { $_ })
        Aliases       = @($values['Aliases'] -split ',' | ForEach-Object Trim | Where-Object { $_ })
        AcceptedValues = @($values['Accepted values'] -split ',' | ForEach-Object { if ($_) { $_.Trim() } } | Where-Object { $_ })
        Required      = $values['Required'] -eq 'True'
        Position      = $values['Position']
        DefaultValue  = $values['Default value']
        PipelineInput = $values['Accept pipeline input']
        Globbing      = $values['Accept wildcard characters'] -eq 'True'
    }
}

<#
.SYNOPSIS
    Reads one cmdlet page of PlatyPS markdown (schema 2.0.0) into the help it holds.
#>
function Read-MarkdownCommandHelp {
    [CmdletBinding()]
    param([Parameter(Mandatory, ValueFromPipeline, ValueFromPipelineByPropertyName)] [Alias('FullName')] [string[]] $Path)
    process {
        foreach ($file in $Path) {
            $page = Read-MarkdownBlock $file
            if ($page.Metadata['schema'] -ne '2.0.0') { Stop-Page $file 'front matter' "expected 'schema: 2.0.0'." }
            $blocks = $page.Blocks
            if ($blocks.Count -eq 0 -or $blocks[0].Kind -ne 'Heading' -or $blocks[0].Level -ne 1) { Stop-Page $file '(top of page)' "the page must start with '# <command name>'." }
            $help = [pscustomobject]@{
                Path = $file; Name = $blocks[0].Text; OnlineVersion = $page.Metadata['online version']
                ExternalHelpFile = $page.Metadata['external help file']
                Synopsis = @(); Syntax = @(); Description = @(); Examples = @(); Parameters = @()
                SupportsCommonParameters = $false; Inputs = @(); Outputs = @(); Notes = @(); Links = @()
            }

            # The level-2 sections, all of them, in the schema's order.
            $sectionAt = [ordered]@{}
            for ($b = 1; $b -lt $blocks.Count; $b++) {
                $block = $blocks[$b]
                if ($block.Kind -eq 'Heading' -and $block.Level -le 2) {
                    if ($block.Level -eq 1) { Stop-Page $file $block.Heading 'a page documents one command: only one level-1 heading.' }
                    if ($script:Sections -cnotcontains $block.Text) { Stop-Page $file $block.Heading "not a section of the schema ($($script:Sections -join ', '))." }
                    if ($sectionAt.Contains($block.Text)) { Stop-Page $file $block.Heading 'this section appears twice.' }
                    $sectionAt[$block.Text] = $b
                }
                elseif ($sectionAt.Count -eq 0) { Stop-Page $file $block.Heading "content before '## SYNOPSIS'." }
            }
            $previous = -1
            foreach ($name in $script:Sections) {
                if (-not $sectionAt.Contains($name)) { Stop-Page $file "## $name" 'this heading is missing.' }
                if ($sectionAt[$name] -lt $previous) { Stop-Page $file "## $name" "this section is out of order (expected $($script:Sections -join ', '))." }
                $previous = $sectionAt[$name]
            }

            foreach ($name in $script:Sections) {
                $start = $sectionAt[$name] + 1
                $end = @($sectionAt.Values | Where-Object { $_ -gt $sectionAt[$name] }) + $blocks.Count | Measure-Object -Minimum
                $section = @(if ($end.Minimum -gt $start) { $blocks[$start..($end.Minimum - 1)] })
                $i = 0
                $heading = "## $name"
                switch ($name) {
                    'SYNOPSIS' {
                        $help.Synopsis = Read-Paragraphs $section ([ref]$i)
                        if ($help.Synopsis.Count -eq 0) { Stop-Page $file $heading 'the synopsis is empty.' }
                    }
                    'SYNTAX' {
                        while ($i -lt $section.Count) {
                            $setName = $null
                            if ($section[$i].Kind -eq 'Heading' -and $section[$i].Level -eq 3) { $setName = $section[$i].Text; $i++ }
                            if ($i -ge $section.Count -or $section[$i].Kind -ne 'Code') { Stop-Page $file $heading 'each parameter set needs one code block with its syntax.' }
                            $help.Syntax += [pscustomobject]@{ ParameterSet = $setName; Text = $section[$i].Text }
                            $i++
                        }
                        if ($help.Syntax.Count -eq 0) { Stop-Page $file $heading 'no syntax block.' }
                    }
                    'DESCRIPTION' {
                        $help.Description = Read-Paragraphs $section ([ref]$i)
                        if ($help.Description.Count -eq 0) { Stop-Page $file $heading 'the description is empty.' }
                    }
                    'EXAMPLES' {
                        while ($i -lt $section.Count) {
                            $title = $section[$i]
                            if ($title.Kind -ne 'Heading' -or $title.Level -ne 3) { Stop-Page $file $title.Heading "expected '### Example N: title'." }
                            $i++
                            $code = @()
                            while ($i -lt $section.Count -and $section[$i].Kind -eq 'Code') { $code += $section[$i]; $i++ }
                            if ($code.Count -eq 0 -or $code[0].Language -ne 'powershell') { Stop-Page $file $title.Heading 'the example must start with a ```powershell code block.' }
                            $remarks = Read-Paragraphs $section ([ref]$i)
                            $help.Examples += [pscustomobject]@{ Title = $title.Text; Code = @($code | ForEach-Object { [pscustomobject]@{ Language = $_.Language; Text = $_.Text } }); Remarks = $remarks }
                            if ($i -lt $section.Count -and -not ($section[$i].Kind -eq 'Heading' -and $section[$i].Level -eq 3)) {
                                Stop-Page $file $title.Heading 'after the remarks, only the next example may follow.'
                            }
                        }
                    }
                    'PARAMETERS' {
                        while ($i -lt $section.Count) {
                            $title = $section[$i]
                            if ($title.Kind -ne 'Heading' -or $title.Level -ne 3) { Stop-Page $file $title.Heading "expected '### -ParameterName' or '### CommonParameters'." }
                            $i++
                            $description = Read-Paragraphs $section ([ref]$i)
                            if ($title.Text -eq 'CommonParameters') { $help.SupportsCommonParameters = $true; continue }
                            if ($title.Text -notmatch '^-(\w+)$') { Stop-Page $file $title.Heading "a parameter heading is '### -Name'." }
                            $parameterName = $Matches[1]
                            $entries = @()
                            while ($i -lt $section.Count -and $section[$i].Kind -eq 'Code') {
                                if ($section[$i].Language -ne 'yaml') { Stop-Page $file $title.Heading 'only ```yaml blocks may follow a parameter''s description.' }
                                $entries += Read-Yaml $section[$i] $file
                                $i++
                            }
                            if ($entries.Count -eq 0) { Stop-Page $file $title.Heading 'the parameter has no ```yaml block.' }
                            if ($description.Count -eq 0) { Stop-Page $file $title.Heading 'the parameter has no description.' }
                            if ($i -lt $section.Count -and $section[$i].Kind -ne 'Heading') { Stop-Page $file $title.Heading 'text after the yaml block.' }
                            $help.Parameters += [pscustomobject]@{ Name = $parameterName; Description = $description; Entries = $entries }
                        }
                    }
                    { $_ -in 'INPUTS', 'OUTPUTS' } {
                        $types = @()
                        while ($i -lt $section.Count) {
                            $title = $section[$i]
                            if ($title.Kind -ne 'Heading' -or $title.Level -ne 3) { Stop-Page $file $heading "expected '### TypeName'." }
                            $i++
                            $types += [pscustomobject]@{ TypeName = $title.Text; Description = Read-Paragraphs $section ([ref]$i) }
                        }
                        if ($name -eq 'INPUTS') { $help.Inputs = $types } else { $help.Outputs = $types }
                    }
                    'NOTES' { $help.Notes = Read-Paragraphs $section ([ref]$i) }
                    'RELATED LINKS' {
                        foreach ($block in $section) {
                            if ($block.Kind -ne 'Text') { Stop-Page $file $heading 'only links, one a line.' }
                            foreach ($line in $block.Lines) {
                                if ($line.Trim() -notmatch '^\[([^\]]+)\]\(([^)]*)\)$') { Stop-Page $file $heading "'$line' is not a [text](uri) link." }
                                $help.Links += [pscustomobject]@{ Text = $Matches[1]; Uri = $Matches[2] }
                            }
                        }
                        $i = $section.Count
                    }
                }
                if ($i -lt $section.Count) { Stop-Page $file $section[$i].Heading "unexpected $($section[$i].Kind.ToLower()) in ## $name." }
            }
            $help
        }
    }
}

function Write-Paragraphs([Xml.XmlWriter] $Writer, [string[]] $Paragraphs) {
    foreach ($p in $Paragraphs) { $Writer.WriteElementString('maml', 'para', $script:Ns.maml, $p) }
}

function Write-Element([Xml.XmlWriter] $Writer, [string] $Prefix, [string] $Name, [scriptblock] $Content) {
    $Writer.WriteStartElement($Prefix, $Name, $script:Ns[$Prefix])
    & $Content
    $Writer.WriteEndElement()
}

function Write-Parameter([Xml.XmlWriter] $Writer, $Parameter, $Entry, [switch] $Syntax) {
    $isSwitch = $Entry.Type -in 'SwitchParameter', 'System.Management.Automation.SwitchParameter'
    Write-Element $Writer command parameter {
        $Writer.WriteAttributeString('required', $Entry.Required.ToString().ToLower())
        $Writer.WriteAttributeString('variableLength', 'true')
        $Writer.WriteAttributeString('globbing', $Entry.Globbing.ToString().ToLower())
        $Writer.WriteAttributeString('pipelineInput', $Entry.PipelineInput)
        $Writer.WriteAttributeString('position', $Entry.Position.ToLower())
        $Writer.WriteAttributeString('aliases', $(if ($Entry.Aliases.Count) { $Entry.Aliases -join ', ' } else { 'none' }))
        $Writer.WriteElementString('maml', 'name', $script:Ns.maml, $Parameter.Name)
        Write-Element $Writer maml description { Write-Paragraphs $Writer $Parameter.Description }
        if ($Syntax -and $Entry.AcceptedValues.Count) {
            Write-Element $Writer command parameterValueGroup {
                foreach ($value in $Entry.AcceptedValues) {
                    Write-Element $Writer command parameterValue {
                        $Writer.WriteAttributeString('required', 'false')
                        $Writer.WriteAttributeString('command', 'variableLength', $script:Ns.command, 'false')
                        $Writer.WriteString($value)
                    }
                }
            }
        }
        if (-not ($Syntax -and $isSwitch)) {
            Write-Element $Writer command parameterValue {
                $Writer.WriteAttributeString('required', (-not $isSwitch).ToString().ToLower())
                $Writer.WriteAttributeString('variableLength', 'false')
                $Writer.WriteString($Entry.Type)
            }
        }
        Write-Element $Writer dev type {
            $Writer.WriteElementString('maml', 'name', $script:Ns.maml, $Entry.Type)
            $Writer.WriteElementString('maml', 'uri', $script:Ns.maml, '')
        }
        $default = if ($isSwitch -and $Entry.DefaultValue -in '', 'None') { 'False' } else { $Entry.DefaultValue }
        $Writer.WriteElementString('dev', 'defaultValue', $script:Ns.dev, $default)
    }
}

# PlatyPS's example titles: centred between dashes, 64 characters in all.
function Format-ExampleTitle([string] $Title) {
    if ([string]::IsNullOrWhiteSpace($Title) -or $Title.Length -ge 62) { return $Title }
    $pad = '-' * [math]::Floor((64 - $Title.Length - 2) / 2)
    "$pad $Title $pad"
}

function Write-CommandHelp([Xml.XmlWriter] $Writer, $Help) {
    $verb, $noun = $Help.Name -split '-', 2
    Write-Element $Writer command command {
        foreach ($prefix in 'maml', 'command', 'dev', 'MSHelp') { $Writer.WriteAttributeString('xmlns', $prefix, $null, $script:Ns[$prefix]) }
        Write-Element $Writer command details {
            $Writer.WriteElementString('command', 'name', $script:Ns.command, $Help.Name)
            $Writer.WriteElementString('command', 'verb', $script:Ns.command, $verb)
            $Writer.WriteElementString('command', 'noun', $script:Ns.command, $noun)
            Write-Element $Writer maml description { Write-Paragraphs $Writer $Help.Synopsis }
        }
        Write-Element $Writer maml description { Write-Paragraphs $Writer $Help.Description }

        # As PlatyPS: the syntax comes from the parameters' yaml, one item per parameter set, positional first.
        $sets = [Collections.Generic.List[string]]::new()
        foreach ($entry in $Help.Parameters.Entries) { foreach ($set in $entry.ParameterSets) { if (-not $sets.Contains($set)) { $sets.Add($set) } } }
        if ($sets.Count -gt 1) { $null = $sets.Remove('(All)') }
        Write-Element $Writer command syntax {
            foreach ($set in $sets) {
                $order = 0
                $members = foreach ($parameter in $Help.Parameters) {
                    $entry = @($parameter.Entries | Where-Object { $_.ParameterSets -contains $set -or $_.ParameterSets -contains '(All)' }) | Select-Object -First 1
                    if ($entry) { [pscustomobject]@{ Parameter = $parameter; Entry = $entry; Order = $order++ } }
                }
                Write-Element $Writer command syntaxItem {
                    $Writer.WriteElementString('maml', 'name', $script:Ns.maml, $Help.Name)
                    $members | Sort-Object { if ($_.Entry.Position -eq 'Named') { [int]::MaxValue } else { [int]$_.Entry.Position } }, Order |
                        ForEach-Object { Write-Parameter $Writer $_.Parameter $_.Entry -Syntax }
                }
            }
        }
        Write-Element $Writer command parameters {
            foreach ($parameter in $Help.Parameters) { Write-Parameter $Writer $parameter $parameter.Entries[0] }
        }
        foreach ($kind in @{ List = 'inputTypes'; Item = 'inputType'; Types = $Help.Inputs }, @{ List = 'returnValues'; Item = 'returnValue'; Types = $Help.Outputs }) {
            Write-Element $Writer command $kind.List {
                foreach ($type in $kind.Types) {
                    Write-Element $Writer command $kind.Item {
                        Write-Element $Writer dev type { $Writer.WriteElementString('maml', 'name', $script:Ns.maml, $type.TypeName) }
                        Write-Element $Writer maml description { Write-Paragraphs $Writer $type.Description }
                    }
                }
            }
        }
        Write-Element $Writer maml alertSet { Write-Element $Writer maml alert { Write-Paragraphs $Writer $Help.Notes } }
        Write-Element $Writer command examples {
            foreach ($example in $Help.Examples) {
                Write-Element $Writer command example {
                    $Writer.WriteElementString('maml', 'title', $script:Ns.maml, (Format-ExampleTitle $example.Title))
                    $Writer.WriteElementString('dev', 'code', $script:Ns.dev, ($example.Code.Text -join "`n`n"))
                    Write-Element $Writer dev remarks { Write-Paragraphs $Writer $example.Remarks }
                }
            }
        }
        # As PlatyPS: the online version first, unless the page's first link is already that page.
        $links = @($Help.Links)
        if ($Help.OnlineVersion -and ($links.Count -eq 0 -or $links[0].Uri -ne $Help.OnlineVersion)) {
            $links = @([pscustomobject]@{ Text = 'Online Version:'; Uri = $Help.OnlineVersion }) + $links
        }
        Write-Element $Writer command relatedLinks {
            foreach ($link in $links) {
                Write-Element $Writer maml navigationLink {
                    $Writer.WriteElementString('maml', 'linkText', $script:Ns.maml, $link.Text)
                    $uri = if ([uri]::IsWellFormedUriString($link.Uri, [UriKind]::Absolute)) { $link.Uri } else { '' }
                    $Writer.WriteElementString('maml', 'uri', $script:Ns.maml, $uri)
                }
            }
        }
    }
}

<#
.SYNOPSIS
    Compiles cmdlet pages of PlatyPS markdown (schema 2.0.0) into one MAML help file.
.DESCRIPTION
    Writes the file PlatyPS 0.14's New-ExternalHelp writes for the same pages: one command:command per
    page, with its syntax built from the parameters' yaml blocks and the page's online version as the
    first related link. Every page must name OutputPath's file as its 'external help file'.
.EXAMPLE
    ConvertTo-MamlHelp -Path (Get-ChildItem docs -Filter *-*.md).FullName -OutputPath out/FaceTools/en-US/FaceTools.dll-Help.xml
#>
function ConvertTo-MamlHelp {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory, ValueFromPipeline, ValueFromPipelineByPropertyName)] [Alias('FullName')] [string[]] $Path,
        [Parameter(Mandatory)] [string] $OutputPath
    )
    begin { $pages = [Collections.Generic.List[object]]::new() }
    process { foreach ($help in Read-MarkdownCommandHelp -Path $Path) { $pages.Add($help) } }
    end {
        $fileName = Split-Path $OutputPath -Leaf
        foreach ($help in $pages) {
            if ($help.ExternalHelpFile -ne $fileName) { Stop-Page $help.Path 'front matter' "'external help file' is '$($help.ExternalHelpFile)', not '$fileName'." }
        }
        $target = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($OutputPath)
        $null = New-Item -ItemType Directory -Force (Split-Path $target)
        $settings = [Xml.XmlWriterSettings]@{ Indent = $true; IndentChars = '  '; Encoding = [Text.UTF8Encoding]::new($false) }
        $writer = [Xml.XmlWriter]::Create($target, $settings)
        try {
            $writer.WriteStartDocument()
            $writer.WriteStartElement('helpItems', $script:Ns.msh)
            $writer.WriteAttributeString('schema', 'maml')
            foreach ($help in $pages | Sort-Object Name) { Write-CommandHelp $writer $help }
            $writer.WriteEndElement()
            $writer.WriteEndDocument()
        }
        finally { $writer.Dispose() }
    }
}

# Words wrapped to fit $Width columns after $Indent, continuation lines indented by $Hang more.
function Format-Wrapped([string] $Text, [int] $Indent, [int] $Hang = 0, [int] $Width = 80) {
    $lines = [Collections.Generic.List[string]]::new()
    $line = ''
    foreach ($word in $Text -split '\s+' | Where-Object { $_ }) {
        $lead = $Indent + $(if ($lines.Count) { $Hang } else { 0 })
        if ($line -and $lead + $line.Length + 1 + $word.Length -gt $Width) {
            $lines.Add((' ' * $lead) + $line)
            $line = $word
        }
        else { $line = if ($line) { "$line $word" } else { $word } }
    }
    if ($line) { $lines.Add((' ' * ($Indent + $(if ($lines.Count) { $Hang } else { 0 }))) + $line) }
    $lines
}

<#
.SYNOPSIS
    Compiles an about topic written in PlatyPS markdown into its about_*.help.txt.
.DESCRIPTION
    The page is '# about_Name', '## SHORT DESCRIPTION', '## LONG DESCRIPTION', further '##' sections
    (such as '## SEE ALSO') and '###' subsections, with paragraphs, lists and code blocks. The text
    file has the layout of PowerShell's own about topics: headings in capitals, text indented and
    wrapped at 80 columns, code indented further.
.EXAMPLE
    ConvertTo-AboutHelp -Path docs/about_FaceTools.md -OutputPath out/FaceTools/en-US/about_FaceTools.help.txt
#>
function ConvertTo-AboutHelp {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $Path,
        [Parameter(Mandatory)] [string] $OutputPath
    )
    $page = Read-MarkdownBlock $Path
    $blocks = $page.Blocks
    $topic = [IO.Path]::GetFileNameWithoutExtension($Path)
    if ($blocks.Count -eq 0 -or $blocks[0].Kind -ne 'Heading' -or $blocks[0].Level -ne 1 -or $blocks[0].Text -ne $topic) {
        Stop-Page $Path '(top of page)' "the page must start with '# $topic'."
    }
    $level2 = @($blocks | Where-Object { $_.Kind -eq 'Heading' -and $_.Level -eq 2 } | ForEach-Object Text)
    foreach ($required in 'SHORT DESCRIPTION', 'LONG DESCRIPTION') {
        if ($level2 -notcontains $required) { Stop-Page $Path "## $required" 'this heading is missing.' }
    }
    if ($level2[0] -ne 'SHORT DESCRIPTION' -or $level2[1] -ne 'LONG DESCRIPTION') {
        Stop-Page $Path "## $($level2[0])" "the sections must start with '## SHORT DESCRIPTION' and '## LONG DESCRIPTION'."
    }

    $text = [Text.StringBuilder]::new()
    $null = $text.AppendLine('TOPIC').AppendLine("    $topic").AppendLine()
    for ($b = 1; $b -lt $blocks.Count; $b++) {
        $block = $blocks[$b]
        switch ($block.Kind) {
            'Heading' {
                if ($block.Level -eq 1) { Stop-Page $Path $block.Heading 'an about topic has one level-1 heading.' }
                if ($b -eq 1 -and $block.Level -ne 2) { Stop-Page $Path $block.Heading "expected '## SHORT DESCRIPTION'." }
                if ($block.Level -eq 2) { $null = $text.AppendLine($block.Text.ToUpperInvariant()) }
                else { $null = $text.AppendLine("  $(ConvertTo-PlainText $block.Text)".ToUpperInvariant()) }
            }
            'Text' {
                foreach ($paragraph in ConvertTo-Paragraph $block) {
                    $hang = if ($paragraph -match '^([-*]|\d+\.)\s') { $Matches[0].Length } else { 0 }
                    foreach ($line in Format-Wrapped $paragraph -Indent 4 -Hang $hang) { $null = $text.AppendLine($line) }
                }
                $null = $text.AppendLine()
            }
            'Code' {
                foreach ($line in $block.Text -split "`n") { $null = $text.AppendLine("        $line".TrimEnd()) }
                $null = $text.AppendLine()
            }
        }
    }
    $target = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($OutputPath)
    $null = New-Item -ItemType Directory -Force (Split-Path $target)
    [IO.File]::WriteAllText($target, $text.ToString().TrimEnd() + [Environment]::NewLine, [Text.UTF8Encoding]::new($false))
}

Export-ModuleMember -Function ConvertTo-MamlHelp, ConvertTo-AboutHelp, Read-MarkdownCommandHelp
