using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using FaceTools.Engine.Batching;
using FaceTools.Engine.Client;
using FaceTools.Engine.Operations;
using FaceTools.Engine.Protocol;
using FaceTools.Completion;
using FaceTools.Validation;

namespace FaceTools.Commands
{
    /// <summary>
    /// The streaming batch cmdlet behind Add-RekFaceToUser and Remove-RekFaceFromUser: face IDs from
    /// the pipeline are de-duplicated and batched 100 per (collection, user), each batch is confirmed,
    /// sent (batches of different users concurrently, up to -ThrottleLimit) and reported as one
    /// object per face, or one error naming the batch's faces.
    /// </summary>
    public abstract class FaceBatchCmdlet : RekognitionCmdlet
    {
        private static readonly TimeSpan ProgressDelay = TimeSpan.FromSeconds(1);
        private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);
        private readonly Stopwatch _clock = new Stopwatch();
        private TimeSpan _lastProgress;
        private bool _progressShown;
        private int _facesDone;
        private int _batchesDone;
        private FaceBatcher _batcher;
        private BatchDispatcher<FaceBatch, FaceBatchOutcome> _dispatcher;

        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [TrimmedString]
        [ValidateServiceField(nameof(FieldRules.CollectionId))]
        [ArgumentCompleter(typeof(CollectionIdCompleter))]
        public string CollectionId { get; set; }

        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [TrimmedString]
        [ValidateServiceField(nameof(FieldRules.UserId))]
        [ArgumentCompleter(typeof(UserIdCompleter))]
        public string UserId { get; set; }

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("FaceIds")]
        [TrimmedString]
        [ValidateServiceField(nameof(FieldRules.FaceId))]
        public string[] FaceId { get; set; }

        [Parameter]
        [TrimmedString]
        [ValidateServiceField(nameof(FieldRules.ClientRequestToken))]
        public string ClientRequestToken { get; set; }

        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 4;

        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override int MaxConcurrency => ThrottleLimit;

        /// <summary>What ShouldProcess asks about, for example "Disassociate faces from user".</summary>
        protected abstract string ActionDescription { get; }

        /// <summary>What a successful face is called in messages, for example "disassociated".</summary>
        protected abstract string SucceededDescription { get; }

        protected abstract Task<FaceBatchOutcome> SendAsync(RekognitionApi api, FaceBatch batch, CancellationToken cancellationToken);

        /// <summary>Exactly one output object per face of the batch.</summary>
        protected abstract IEnumerable<object> ResultsFor(FaceBatch batch, FaceBatchOutcome outcome);

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            _batcher = new FaceBatcher(FieldRules.MaxFacesPerAssociationRequest, ClientRequestToken);
            _dispatcher = new BatchDispatcher<FaceBatch, FaceBatchOutcome>(ThrottleLimit, CancellationToken,
                failure => failure is RekognitionException service && service.IsTerminal);
            _clock.Start();
        }

        protected override void ProcessRecord()
        {
            foreach (string faceId in FaceId)
            {
                if (!_batcher.Add(CollectionId, UserId, faceId, out FaceBatch full))
                    WriteVerbose($"Face {faceId} for user '{UserId}' in collection '{CollectionId}' was given more than once; it is sent once.");
                if (full != null) Dispatch(full);
            }

            Report(_dispatcher.TakeCompleted());
        }

        protected override void EndProcessing()
        {
            foreach (FaceBatch batch in _batcher.Flush()) Dispatch(batch);
            while (_dispatcher.Outstanding > 0) Report(_dispatcher.WaitAny());
            if (_progressShown)
                WriteProgress(new ProgressRecord(ProgressActivityId, ActionDescription, "Done") { RecordType = ProgressRecordType.Completed });
        }

        private void Dispatch(FaceBatch batch)
        {
            string target = $"{batch.FaceIds.Count} face(s) of user '{batch.UserId}' in collection '{batch.CollectionId}'";
            if (!ConfirmTarget(Force, target, ActionDescription)) return;

            RekognitionApi api = Api;
            // Bound memory: wait for a send to finish while twice the throttle limit is outstanding.
            while (_dispatcher.Outstanding >= 2 * ThrottleLimit) Report(_dispatcher.WaitAny());
            _dispatcher.Submit(batch.UserKey, batch, token => SendAsync(api, batch, token));
        }

        private void Report(List<BatchDispatcher<FaceBatch, FaceBatchOutcome>.Completion> completions)
        {
            foreach (var completion in completions)
            {
                FaceBatch batch = completion.State;
                if (completion.Error != null)
                {
                    var failure = completion.Error as RekognitionException
                                  ?? new RekognitionException(ErrorCodes.ClientError, completion.Error.Message, innerException: completion.Error);
                    WriteVerbose($"Batch {batch.Number} ({batch.FaceIds.Count} face(s), user '{batch.UserId}', collection '{batch.CollectionId}') failed after {failure.Attempts} attempt(s): {failure.ErrorCode}" +
                                 (failure.RequestId != null ? $"; request id {failure.RequestId}." : "."));
                    ReportFailure(failure, ToArray(batch.FaceIds));
                    continue;
                }

                FaceBatchOutcome outcome = completion.Result;
                WriteVerbose($"Batch {batch.Number} ({batch.FaceIds.Count} face(s), user '{batch.UserId}', collection '{batch.CollectionId}'): " +
                             $"{outcome.Succeeded.Count} {SucceededDescription}, {outcome.Unsuccessful.Count} unsuccessful; " +
                             $"{outcome.Attempts} attempt(s); request id {outcome.RequestId ?? "none"}.");
                foreach (object result in ResultsFor(batch, outcome)) WriteObject(result);
                _facesDone += batch.FaceIds.Count;
                _batchesDone++;
                ShowProgress(batch);
            }
        }

        private const int ProgressActivityId = 0x4661;

        /// <summary>Progress for long pipelines only: nothing in the first second, then a few updates a second.</summary>
        private void ShowProgress(FaceBatch current)
        {
            TimeSpan now = _clock.Elapsed;
            if (now < ProgressDelay || now - _lastProgress < ProgressInterval) return;
            _lastProgress = now;
            _progressShown = true;
            WriteProgress(new ProgressRecord(ProgressActivityId, ActionDescription,
                $"{_facesDone} face(s) in {_batchesDone} batch(es) done; current user '{current.UserId}' in collection '{current.CollectionId}'"));
        }

        /// <summary>The user a refused face belongs to, when that is not the user it was sent for.</summary>
        protected static string OwnerOf(FaceVerdict verdict, FaceBatch batch) =>
            verdict.Refusal?.UserId != null && verdict.Refusal.UserId != batch.UserId ? verdict.Refusal.UserId : null;

        private static string[] ToArray(IReadOnlyList<string> items)
        {
            var array = new string[items.Count];
            for (int i = 0; i < array.Length; i++) array[i] = items[i];
            return array;
        }
    }
}
