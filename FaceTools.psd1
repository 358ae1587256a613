@{
    RootModule           = 'FaceTools.dll'
    # Stamped by build.ps1 from src/Directory.Build.props, the one version source.
    ModuleVersion        = '0.1.0'
    CompatiblePSEditions = @('Desktop', 'Core')
    GUID                 = 'b6d64a09-5ad3-45d3-bf3b-813c01c8d037'
    Author               = 'FaceTools contributors'
    CompanyName          = 'FaceTools contributors'
    Copyright            = 'Copyright (c) FaceTools contributors. Licensed under the MIT License.'
    Description          = 'Manage Amazon Rekognition face collections from PowerShell: the collections, the faces indexed into them, their users and the faces associated with each user. Streams face IDs from the pipeline in batches, with -WhatIf/-Confirm, idempotency tokens, retries and typed results.'
    PowerShellVersion    = '5.1'
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess     = @('FaceTools.format.ps1xml')
    CmdletsToExport      = @(
        'Add-RekFaceToCollection'
        'Add-RekFaceToUser'
        'Find-RekUser'
        'Get-RekFace'
        'Get-RekFaceCollection'
        'Get-RekUser'
        'New-RekFaceCollection'
        'Register-RekUser'
        'Remove-RekFaceCollection'
        'Remove-RekFaceFromCollection'
        'Remove-RekFaceFromUser'
        'Unregister-RekUser'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('AWS', 'Amazon', 'Rekognition', 'Face', 'FaceCollection', 'FaceRecognition', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            LicenseUri   = 'https://github.com/facetools-ps/FaceTools/blob/main/LICENSE'
            ProjectUri   = 'https://github.com/facetools-ps/FaceTools'
            ReleaseNotes = 'First release, with 12 cmdlets for Amazon Rekognition face collections: the collections (New-RekFaceCollection, Get-RekFaceCollection, Remove-RekFaceCollection), their faces (Add-RekFaceToCollection, Get-RekFace, Remove-RekFaceFromCollection), their users (Register-RekUser, Get-RekUser, Unregister-RekUser), the faces of users (Add-RekFaceToUser, Remove-RekFaceFromUser) and user search (Find-RekUser). See about_FaceTools for how they chain in the pipeline, and for credentials, batching and parallel requests, idempotency tokens, errors and retries.'
        }
    }
}
