using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using FaceTools.Engine.Operations;
using FaceTools.Engine.Protocol;
using FaceTools.Completion;
using FaceTools.Validation;

namespace FaceTools.Commands
{
    /// <summary>
    /// Indexes the faces of images into a collection (IndexFaces, one request per image): local PNG and JPEG files,
    /// checked against the service's 5 MB limit and formats before any request, or S3 objects.
    /// </summary>
    [Cmdlet(VerbsCommon.Add, "RekFaceToCollection", DefaultParameterSetName = PathSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(IndexedFace))]
    public sealed class AddRekFaceToCollectionCommand : RekognitionCmdlet
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";
        private const string S3Set = "S3Object";
        private const int ProgressActivityId = 0x4662;
        private ProgressPacing _progress;
        private int _imagesDone;

        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [TrimmedString]
        [ValidateServiceField(nameof(FieldRules.CollectionId))]
        [ArgumentCompleter(typeof(CollectionIdCompleter))]
        public string CollectionId { get; set; }

        /// <summary>Image files; wildcards select several.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [PathText]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; }

        /// <summary>Image files, taken as written (no wildcards); also objects' PSPath or FullName. (Files from Get-ChildItem bind to -Path, escaped.)</summary>
        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "LP", "FullName")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; }

        /// <summary>The S3 bucket of an image the service reads itself (up to 15 MB).</summary>
        [Parameter(Mandatory = true, ParameterSetName = S3Set, ValueFromPipelineByPropertyName = true)]
        [TrimmedString]
        [ValidateServiceField(nameof(FieldRules.S3Bucket))]
        public string S3Bucket { get; set; }

        /// <summary>The image's key (object name) in -S3Bucket.</summary>
        [Parameter(Mandatory = true, ParameterSetName = S3Set, ValueFromPipelineByPropertyName = true)]
        [ValidateServiceField(nameof(FieldRules.S3ObjectName))]
        public string S3Key { get; set; }

        /// <summary>The ID the faces carry back to your system; by default the image's file name made valid for the service.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [TrimmedString]
        [ValidateServiceField(nameof(FieldRules.ExternalImageId))]
        public string ExternalImageId { get; set; }

        /// <summary>At most this many faces of each image, the largest first; the service's default indexes up to 100.</summary>
        [Parameter]
        [ValidateRange(1, FieldRules.MaxFacesToIndex)]
        public int MaxFaces { get; set; }

        /// <summary>How strictly low-quality faces are left out: NONE, AUTO (the service's default), LOW, MEDIUM or HIGH.</summary>
        [Parameter]
        [ValidateSet("NONE", "AUTO", "LOW", "MEDIUM", "HIGH")]
        public string QualityFilter { get; set; }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            _progress = new ProgressPacing(ProgressActivityId, "Index faces");
        }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == S3Set)
            {
                string name = S3Key.Split('/').Last();
                Index(ImageInput.FromS3(S3Bucket, S3Key), $"s3://{S3Bucket}/{S3Key}", ExternalImageId ?? ExternalImageIds.From(name), "");
                return;
            }

            bool literal = ParameterSetName == LiteralPathSet;
            foreach (string path in literal ? LiteralPath : Path)
            {
                List<string> files = ImageFiles.Resolve(this, path, literal);
                for (int i = 0; i < files.Count; i++)
                {
                    string file = files[i];
                    // Checked before any request: the service would refuse the image anyway.
                    LocalImage image = ImageFiles.Load(this, file);
                    if (image == null) continue;
                    Index(ImageInput.FromBytes(image.Bytes), file, ExternalImageId ?? ExternalImageIds.From(System.IO.Path.GetFileName(file)),
                        files.Count > 1 ? $" ({i + 1} of {files.Count} for '{path}')" : "");
                }
            }
        }

        protected override void EndProcessing() => _progress.Complete(this);

        /// <param name="position">Where the image is in what its path named, for the progress bar; empty for nothing.</param>
        private void Index(ImageInput image, string source, string externalImageId, string position)
        {
            _progress.Update(this, () => $"{_imagesDone} image(s) done; now '{source}'{position} into collection '{CollectionId}'");
            if (!ShouldProcess($"image '{source}' into collection '{CollectionId}'", "Index faces")) return;
            int? maxFaces = MyInvocation.BoundParameters.ContainsKey(nameof(MaxFaces)) ? MaxFaces : (int?)null;
            string qualityFilter = QualityFilter?.ToUpperInvariant();
            bool answered = TryCall((api, cancel) => api.IndexFacesAsync(CollectionId, image, externalImageId, maxFaces, qualityFilter, cancel), source, out IndexFacesOutcome outcome);
            _imagesDone++;
            if (!answered) return;

            WriteVerbose($"Image '{source}': {outcome.Indexed.Count} face(s) indexed, {outcome.Unindexed.Count} not indexed; " +
                         $"{outcome.Attempts} attempt(s); request id {outcome.RequestId ?? "none"}.");
            if (outcome.Indexed.Count == 0 && outcome.Unindexed.Count == 0)
                WriteWarning($"No face was found in image '{source}'.");

            foreach (FaceRecord face in outcome.Indexed)
                WriteObject(new IndexedFace
                {
                    CollectionId = CollectionId,
                    FaceId = face.FaceId,
                    Status = IndexedFaceStatus.Indexed,
                    ImageId = face.ImageId,
                    ExternalImageId = face.ExternalImageId ?? externalImageId,
                    Confidence = face.Confidence,
                    BoundingBox = BoxOf(face.BoundingBox),
                    IndexFacesModelVersion = face.IndexFacesModelVersion ?? outcome.FaceModelVersion,
                    Path = source,
                });

            foreach (UnindexedFaceRecord face in outcome.Unindexed)
                WriteObject(new IndexedFace
                {
                    CollectionId = CollectionId,
                    Status = IndexedFaceStatus.NotIndexed,
                    Reasons = face.Reasons.ToArray(),
                    ExternalImageId = externalImageId,
                    Confidence = face.Confidence,
                    BoundingBox = BoxOf(face.BoundingBox),
                    IndexFacesModelVersion = outcome.FaceModelVersion,
                    Path = source,
                });
        }

        private static BoundingBox BoxOf(BoundingBoxRecord box) =>
            box == null ? null : new BoundingBox { Width = box.Width, Height = box.Height, Left = box.Left, Top = box.Top };
    }
}
