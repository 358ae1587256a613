using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using FaceTools.Engine.Batching;
using FaceTools.Engine.Client;
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
        // The image read last, where it is among its path's files, and its collection: what progress names.
        private string _lastRead;
        private int? _maxFaces;
        private string _qualityFilter;
        private BatchDispatcher<ImageJob, IndexFacesOutcome> _dispatcher;
        private long _submitted;
        // What a stop must still account for besides the dispatcher: the files of the current path from _nextFile on,
        // and an image waiting for room to be sent.
        private List<string> _files;
        private int _nextFile;
        private ImageJob _waiting;

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

        /// <summary>How many images are sent at once; 1 sends them one by one, and writes their faces in input order.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 4;

        protected override int MaxConcurrency => ThrottleLimit;

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            _progress = new ProgressPacing(ProgressActivityId, "Index faces");
            _maxFaces = MyInvocation.BoundParameters.ContainsKey(nameof(MaxFaces)) ? MaxFaces : (int?)null;
            _qualityFilter = QualityFilter?.ToUpperInvariant();
            _dispatcher = new BatchDispatcher<ImageJob, IndexFacesOutcome>(ThrottleLimit, CancellationToken,
                failure => failure is RekognitionException service && service.IsTerminal);
        }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == S3Set)
            {
                string name = S3Key.Split('/').Last();
                Index(ImageInput.FromS3(S3Bucket, S3Key), $"s3://{S3Bucket}/{S3Key}", ExternalImageId ?? ExternalImageIds.From(name), "");
            }
            else
            {
                bool literal = ParameterSetName == LiteralPathSet;
                foreach (string path in literal ? LiteralPath : Path)
                {
                    _files = ImageFiles.Resolve(this, path, literal, WriteImageError);
                    for (int i = 0; i < _files.Count; i++)
                    {
                        string file = _files[i];
                        _nextFile = i + 1;
                        // Checked before any request: the service would refuse the image anyway.
                        LocalImage image = ImageFiles.Load(this, file, WriteImageError);
                        if (image == null) continue;
                        Index(ImageInput.FromBytes(image.Bytes), file, ExternalImageId ?? ExternalImageIds.From(System.IO.Path.GetFileName(file)),
                            _files.Count > 1 ? $" ({i + 1} of {_files.Count} for '{path}')" : "");
                    }
                }

                _files = null;
            }

            Report(_dispatcher.TakeCompleted());
        }

        protected override void EndProcessing()
        {
            while (_dispatcher.Outstanding > 0) Report(_dispatcher.WaitAny());
            _progress.Complete(this);
        }

        /// <param name="position">Where the image is in what its path named, for the progress bar; empty for nothing.</param>
        private void Index(ImageInput image, string source, string externalImageId, string position)
        {
            _lastRead = $"'{source}'{position} into collection '{CollectionId}'";
            ShowProgress();
            if (!ShouldProcess($"image '{source}' into collection '{CollectionId}'", "Index faces")) return;

            var job = new ImageJob { CollectionId = CollectionId, Source = source, ExternalImageId = externalImageId };
            RekognitionApi api = Api;
            int? maxFaces = _maxFaces;
            string qualityFilter = _qualityFilter;
            // Bound memory (each image holds up to 5 MB): wait for a send to finish while twice the throttle limit is outstanding.
            _waiting = job;
            while (_dispatcher.Outstanding >= 2 * ThrottleLimit) Report(_dispatcher.WaitAny());
            _waiting = null;
            // Images are independent: each has a key of its own, so none waits for another but for a free slot.
            _dispatcher.Submit((_submitted++).ToString(CultureInfo.InvariantCulture), job,
                token => api.IndexFacesAsync(job.CollectionId, image, job.ExternalImageId, maxFaces, qualityFilter, token));
        }

        private void Report(IReadOnlyList<BatchDispatcher<ImageJob, IndexFacesOutcome>.Completion> completions)
        {
            for (int i = 0; i < completions.Count; i++)
            {
                var completion = completions[i];
                _imagesDone++;
                ShowProgress();
                if (completion.Error == null)
                {
                    WriteFaces(completion.State, completion.Result);
                    continue;
                }

                // Ctrl+C: the sends still in flight come back canceled; stop, reporting nothing more.
                if (CancellationToken.IsCancellationRequested) throw new PipelineStoppedException();
                var failure = completion.Error as RekognitionException
                              ?? new RekognitionException(ErrorCodes.ClientError, completion.Error.Message, innerException: completion.Error);
                if (failure.Kind != FailureKind.Canceled && (failure.IsTerminal || StopsAtErrors))
                    StopAt(detail => ErrorRecordFor(failure, completion.State.Source, detail), failure.IsTerminal, completions, i + 1);
                ReportFailure(failure, completion.State.Source);
            }
        }

        /// <summary>
        /// The command stops at this failure (one no later request can escape, or -ErrorAction Stop): nothing more is
        /// sent, and still every image handed in ends up in its faces or in one error. Images that were answered (or,
        /// but for a failure no request can escape, were in flight and are answered within the patience) are written
        /// as usual; every other image (failed, canceled, waiting, or not read yet of the current path) is named in
        /// the failed image's error, which is the command's last word.
        /// </summary>
        /// <param name="errorFor">Makes the error the command stops at, with a detail to add to its message (null for none).</param>
        private void StopAt(Func<string, ErrorRecord> errorFor, bool terminal, IReadOnlyList<BatchDispatcher<ImageJob, IndexFacesOutcome>.Completion> completions, int next)
        {
            if (terminal) CancelRequests();
            else _dispatcher.StopStarting();
            var unsettled = new List<string>();
            void Settle(BatchDispatcher<ImageJob, IndexFacesOutcome>.Completion completion)
            {
                if (completion.Error == null) WriteFaces(completion.State, completion.Result);
                else unsettled.Add(completion.State.Source);
            }

            for (int i = next; i < completions.Count; i++) Settle(completions[i]);
            var drained = _dispatcher.Drain(StopPatience, out IReadOnlyList<ImageJob> abandoned);
            foreach (var completion in drained) Settle(completion);
            CancelRequests();
            foreach (ImageJob stuck in abandoned) unsettled.Add(stuck.Source);
            if (_waiting != null) unsettled.Add(_waiting.Source);
            for (int i = _nextFile; _files != null && i < _files.Count; i++) unsettled.Add(_files[i]);
            _waiting = null;
            _files = null;

            string detail = unsettled.Count == 0 ? null
                : $"The command stopped at this error: {unsettled.Count} more image(s) were not sent, or were sent without an answer " +
                  $"(their faces may have been indexed): '{string.Join("', '", unsettled)}'.";
            ErrorRecord record = errorFor(detail);
            // Under -ErrorAction Stop the written error stops the script, as any error would; a failure no later
            // request can escape ends the command.
            if (!terminal) WriteError(record);
            ThrowTerminatingError(record);
        }

        /// <summary>
        /// A file refused before any request. Under -ErrorAction Stop it is the error the command stops at, once the
        /// images in flight are written: PowerShell would otherwise end the command at the error, with their faces
        /// indexed and not reported.
        /// </summary>
        private void WriteImageError(ErrorRecord record)
        {
            if (StopsAtErrors)
                StopAt(detail =>
                {
                    if (detail != null) record.ErrorDetails = new ErrorDetails(record.Exception.Message + " " + detail);
                    return record;
                }, terminal: false, BatchDispatcher<ImageJob, IndexFacesOutcome>.NothingCompleted, 0);
            WriteError(record);
        }

        private void WriteFaces(ImageJob job, IndexFacesOutcome outcome)
        {
            string source = job.Source;
            WriteVerbose($"Image '{source}': {outcome.Indexed.Count} face(s) indexed, {outcome.Unindexed.Count} not indexed; " +
                         $"{outcome.Attempts} attempt(s); request id {outcome.RequestId ?? "none"}.");
            if (outcome.Indexed.Count == 0 && outcome.Unindexed.Count == 0)
                WriteWarning($"No face was found in image '{source}'.");

            foreach (FaceRecord face in outcome.Indexed)
                WriteObject(new IndexedFace
                {
                    CollectionId = job.CollectionId,
                    FaceId = face.FaceId,
                    Status = IndexedFaceStatus.Indexed,
                    ImageId = face.ImageId,
                    ExternalImageId = face.ExternalImageId ?? job.ExternalImageId,
                    Confidence = face.Confidence,
                    BoundingBox = BoxOf(face.BoundingBox),
                    IndexFacesModelVersion = face.IndexFacesModelVersion ?? outcome.FaceModelVersion,
                    Path = source,
                });

            foreach (UnindexedFaceRecord face in outcome.Unindexed)
                WriteObject(new IndexedFace
                {
                    CollectionId = job.CollectionId,
                    Status = IndexedFaceStatus.NotIndexed,
                    Reasons = face.Reasons.ToArray(),
                    ExternalImageId = job.ExternalImageId,
                    Confidence = face.Confidence,
                    BoundingBox = BoxOf(face.BoundingBox),
                    IndexFacesModelVersion = outcome.FaceModelVersion,
                    Path = source,
                });
        }

        private void ShowProgress() => _progress.Update(this, () => $"{_imagesDone} image(s) done; last read {_lastRead}");

        /// <summary>One image on its way: what its faces are written with.</summary>
        private sealed class ImageJob
        {
            public string CollectionId;
            public string Source;
            public string ExternalImageId;
        }

        private static BoundingBox BoxOf(BoundingBoxRecord box) =>
            box == null ? null : new BoundingBox { Width = box.Width, Height = box.Height, Left = box.Left, Top = box.Top };
    }
}
