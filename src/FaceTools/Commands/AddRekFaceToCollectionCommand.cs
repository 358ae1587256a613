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
        // What a stop must still account for besides the dispatcher: the record's paths from _nextPath on, the files
        // of the current path from _nextFile on, and an image waiting for room to be sent.
        private IReadOnlyList<string> _paths;
        private int _nextPath;
        private List<string> _files;
        private int _nextFile;
        private ImageJob _waiting;
        // Images answered with no face while a stop that warnings end was under way: named in its message.
        private List<string> _noFaceAtStop;

        // The rules of the parameters the pipeline binds are checked in code (CheckRecord, CheckArgument), not by
        // validation attributes: PowerShell's binder, refusing a piped record under -ErrorAction Stop, would end the
        // command on the spot, with the images in flight unreported.
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [TrimmedString]
        [AllowNull, AllowEmptyString]
        [ArgumentCompleter(typeof(CollectionIdCompleter))]
        public string CollectionId { get; set; }

        /// <summary>Image files; wildcards select several.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [PathText]
        [AllowNull, AllowEmptyString, AllowEmptyCollection]
        public string[] Path { get; set; }

        /// <summary>Image files, taken as written (no wildcards); also objects' PSPath or FullName. (Files from Get-ChildItem bind to -Path, escaped.)</summary>
        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "LP", "FullName")]
        [AllowNull, AllowEmptyString, AllowEmptyCollection]
        public string[] LiteralPath { get; set; }

        /// <summary>The S3 bucket of an image the service reads itself (up to 15 MB).</summary>
        [Parameter(Mandatory = true, ParameterSetName = S3Set, ValueFromPipelineByPropertyName = true)]
        [TrimmedString]
        [AllowNull, AllowEmptyString]
        public string S3Bucket { get; set; }

        /// <summary>The image's key (object name) in -S3Bucket.</summary>
        [Parameter(Mandatory = true, ParameterSetName = S3Set, ValueFromPipelineByPropertyName = true)]
        [AllowNull, AllowEmptyString]
        public string S3Key { get; set; }

        /// <summary>The ID the faces carry back to your system; by default the image's file name made valid for the service.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [TrimmedString]
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
            foreach (var (parameter, problem, values) in Problems()) CheckArgument(parameter, problem, values);
            base.BeginProcessing();
            _progress = new ProgressPacing(ProgressActivityId, "Index faces");
            _maxFaces = IfGiven(nameof(MaxFaces), MaxFaces);
            _qualityFilter = QualityFilter?.ToUpperInvariant();
            _dispatcher = NewDispatcher<ImageJob, IndexFacesOutcome>(ThrottleLimit);
            // A configuration error (no credentials, a bad region) stops the command before it reads any image;
            // -WhatIf sends nothing, so it needs none.
            if (!IsWhatIf()) _ = Api;
        }

        protected override void ProcessRecord()
        {
            if (!CheckRecord()) return;
            if (ParameterSetName == S3Set)
            {
                string name = S3Key.Split('/').Last();
                Index(ImageInput.FromS3(S3Bucket, S3Key), $"s3://{S3Bucket}/{S3Key}", ExternalImageId ?? ExternalImageIds.From(name), "");
            }
            else
            {
                bool literal = ParameterSetName == LiteralPathSet;
                _paths = literal ? LiteralPath : Path;
                for (int p = 0; p < _paths.Count; p++)
                {
                    string path = _paths[p];
                    _nextPath = p + 1;
                    // The path's problems are written once its files are known, so that a stop at one names them.
                    var problems = new List<ErrorRecord>();
                    _files = ImageFiles.Resolve(this, path, literal, problems.Add);
                    _nextFile = 0;
                    foreach (ErrorRecord problem in problems) WriteImageError(problem);
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

                _paths = null;
                _files = null;
            }

            Report(_dispatcher.TakeCompleted());
        }

        protected override void EndProcessing()
        {
            while (_dispatcher.Outstanding > 0) Report(_dispatcher.WaitAny());
            _progress.Complete(this);
        }

        /// <summary>
        /// Checks one pipeline record against the service's rules; a refused record is one error naming its images (or,
        /// under -ErrorAction Stop, the error the command stops at).
        /// </summary>
        private bool CheckRecord()
        {
            foreach (var (parameter, problem, values) in Problems())
            {
                if (problem == null || Checked(parameter)) continue;
                object images = ParameterSetName == S3Set ? $"s3://{S3Bucket}/{S3Key}"
                    : ParameterSetName == LiteralPathSet ? (LiteralPath?.Length == 1 ? LiteralPath[0] : (object)LiteralPath)
                    : Path?.Length == 1 ? Path[0] : (object)Path;
                WriteImageError(InvalidArgument(parameter, problem, values, images, null));
                return false;
            }

            return true;
        }

        /// <summary>Each parameter of the record's set, by the service's rule (or, for paths, not null or empty): what is wrong with it, null for nothing.</summary>
        private IEnumerable<(string Parameter, string Problem, IReadOnlyList<string> Values)> Problems()
        {
            yield return (nameof(CollectionId), FieldRules.CollectionId.Explain(CollectionId), new[] { CollectionId });
            if (ParameterSetName == S3Set)
            {
                yield return (nameof(S3Bucket), FieldRules.S3Bucket.Explain(S3Bucket), new[] { S3Bucket });
                yield return (nameof(S3Key), FieldRules.S3ObjectName.Explain(S3Key), new[] { S3Key });
            }
            else if (ParameterSetName == LiteralPathSet)
                yield return (nameof(LiteralPath), ProblemWithPaths(LiteralPath), LiteralPath);
            else
                yield return (nameof(Path), ProblemWithPaths(Path), Path);
            // By default the file name, made valid: only a given one is checked.
            if (ExternalImageId != null) yield return (nameof(ExternalImageId), FieldRules.ExternalImageId.Explain(ExternalImageId), new[] { ExternalImageId });
        }

        private static string ProblemWithPaths(IReadOnlyList<string> paths) =>
            paths == null || paths.Count == 0 || paths.Any(string.IsNullOrEmpty)
                ? "The argument is null or empty. Provide an argument that is not null or empty, and then try the command again."
                : null;

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
            _waiting = job;
            while (_dispatcher.Outstanding >= MostOutstanding) Report(_dispatcher.WaitAny());
            _waiting = null;
            // Images are independent: each has a key of its own, so none waits for another but for a free slot. Each
            // is encoded and signed on a pool thread (up to 5 MB), while this thread reads the next.
            _dispatcher.Submit((_submitted++).ToString(CultureInfo.InvariantCulture), job,
                token => api.IndexFacesAsync(job.CollectionId, image, job.ExternalImageId, maxFaces, qualityFilter, token), offload: true);
        }

        // Bounds memory (each image holds up to 5 MB): twice the throttle limit, so the next images are read while
        // others are sent. With -ThrottleLimit 1, each image is answered before the next is read: faces and errors
        // come in input order.
        private int MostOutstanding => ThrottleLimit == 1 ? 1 : 2 * ThrottleLimit;

        private void Report(IReadOnlyList<BatchDispatcher<ImageJob, IndexFacesOutcome>.Completion> completions)
        {
            for (int i = 0; i < completions.Count; i++)
            {
                var completion = completions[i];
                _imagesDone++;
                ShowProgress();
                if (completion.Error == null)
                {
                    // A warning that stops the command (-WarningAction Stop) stops it here, with every image accounted for.
                    if (FoundNoFace(completion.Result) && StopsAtWarnings)
                        StopAt(detail =>
                        {
                            WriteWarning(NoFaceMessage(completion.State.Source) + (detail == null ? "" : " " + detail));
                            throw new PipelineStoppedException();
                        }, terminal: false, completions, i + 1, at: "warning");
                    WriteFaces(completion.State, completion.Result);
                    continue;
                }

                // Ctrl+C: the sends still in flight come back canceled; stop, reporting nothing more.
                if (CancellationToken.IsCancellationRequested) throw new PipelineStoppedException();
                RekognitionException failure = FailureOf(completion.Error);
                if (EndsCommand(failure))
                    StopAt(detail => StopWith(ErrorRecordFor(failure, completion.State.Source, detail), failure.IsTerminal), failure.IsTerminal, completions, i + 1);
                ReportFailure(failure, completion.State.Source);
            }
        }

        /// <summary>
        /// The command stops here (at a failure no request can escape, at any error under -ErrorAction Stop, or at a
        /// warning under -WarningAction Stop): nothing more is sent, and still every image handed in ends up in its
        /// faces or in one error. Images that were answered (or, but for a failure no request can escape, were in
        /// flight and are answered within the patience) are written as usual; every other image (failed, canceled,
        /// waiting, or not read yet of the current record) is named in the detail that <paramref name="stop"/> adds to
        /// the command's last word, and which it must end the command with.
        /// </summary>
        /// <param name="at">What the command stopped at, for the message: "error" or "warning".</param>
        private void StopAt(Action<string> stop, bool terminal, IReadOnlyList<BatchDispatcher<ImageJob, IndexFacesOutcome>.Completion> completions, int next,
            string at = "error")
        {
            _noFaceAtStop = new List<string>();
            var unsettled = SettleAtStop(_dispatcher, terminal, completions, next, WriteFaces).Select(job => job.Source).ToList();
            if (_waiting != null) unsettled.Add(_waiting.Source);
            for (int i = _nextFile; _files != null && i < _files.Count; i++) unsettled.Add(_files[i]);
            for (int i = _nextPath; _paths != null && i < _paths.Count; i++) unsettled.Add(_paths[i]);
            _waiting = null;
            _files = null;
            _paths = null;

            var detail = new List<string>();
            if (unsettled.Count > 0)
                detail.Add($"The command stopped at this {at}: {unsettled.Count} more image(s) were not sent, or were sent without an answer " +
                           $"(their faces may have been indexed): '{string.Join("', '", unsettled)}'.");
            if (_noFaceAtStop.Count > 0)
                detail.Add($"No face was found in '{string.Join("', '", _noFaceAtStop)}'.");
            _progress.Complete(this);
            stop(detail.Count == 0 ? null : string.Join(" ", detail));
        }

        /// <summary>
        /// A file or record refused before any request. Under -ErrorAction Stop it is the error the command stops at,
        /// once the images in flight are written: PowerShell would otherwise end the command at the error, with their
        /// faces indexed and not reported. With -ThrottleLimit 1 it waits for the image before it, so errors and faces
        /// come in input order.
        /// </summary>
        private void WriteImageError(ErrorRecord record)
        {
            if (ThrottleLimit == 1)
                while (_dispatcher.Outstanding > 0) Report(_dispatcher.WaitAny());
            if (StopsAtErrors)
                StopAt(detail =>
                {
                    if (detail != null) record.ErrorDetails = new ErrorDetails((record.ErrorDetails?.Message ?? record.Exception.Message) + " " + detail);
                    StopWith(record, terminal: false);
                }, terminal: false, BatchDispatcher<ImageJob, IndexFacesOutcome>.NothingCompleted, 0);
            WriteError(record);
        }

        private static bool FoundNoFace(IndexFacesOutcome outcome) => outcome.Indexed.Count == 0 && outcome.Unindexed.Count == 0;

        private static string NoFaceMessage(string source) => $"No face was found in image '{source}'.";

        private void WriteFaces(ImageJob job, IndexFacesOutcome outcome)
        {
            string source = job.Source;
            WriteVerbose($"Image '{source}': {outcome.Indexed.Count} face(s) indexed, {outcome.Unindexed.Count} not indexed; " +
                         $"{outcome.Attempts} attempt(s); request id {outcome.RequestId ?? "none"}.");
            if (FoundNoFace(outcome))
            {
                // During a stop, a warning that would end the command at once is named in the stop's message instead.
                if (_noFaceAtStop != null && StopsAtWarnings) _noFaceAtStop.Add(source);
                else WriteWarning(NoFaceMessage(source));
            }

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
