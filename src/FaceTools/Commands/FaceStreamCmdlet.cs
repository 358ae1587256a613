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

namespace FaceTools.Commands
{
    /// <summary>
    /// The streaming batcher behind the cmdlets that take face IDs from the pipeline: IDs are de-duplicated and
    /// batched (<see cref="BatchSize"/> per collection, and per user where there is one), each batch is confirmed,
    /// sent (batches for different keys concurrently, up to -ThrottleLimit; batches for one key one at a time) and
    /// reported as one object per face, or one error naming the batch's faces.
    /// </summary>
    public abstract class FaceStreamCmdlet : RekognitionCmdlet
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

        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 4;

        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override int MaxConcurrency => ThrottleLimit;

        /// <summary>The most faces one request takes.</summary>
        protected virtual int BatchSize => FieldRules.MaxFacesPerAssociationRequest;

        /// <summary>The caller's idempotency token that batch tokens are derived from; null for none (or no tokens).</summary>
        protected virtual string BaseClientRequestToken => null;

        /// <summary>What ShouldProcess asks about, for example "Disassociate faces from user".</summary>
        protected abstract string ActionDescription { get; }

        /// <summary>What a successful face is called in messages, for example "disassociated".</summary>
        protected abstract string SucceededDescription { get; }

        protected abstract Task<FaceBatchOutcome> SendAsync(RekognitionApi api, FaceBatch batch, CancellationToken cancellationToken);

        /// <summary>The output object for one face of the batch.</summary>
        protected abstract object ResultFor(FaceBatch batch, FaceBatchOutcome outcome, in FaceVerdict verdict);

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            _batcher = new FaceBatcher(BatchSize, BaseClientRequestToken);
            _dispatcher = new BatchDispatcher<FaceBatch, FaceBatchOutcome>(ThrottleLimit, CancellationToken,
                failure => failure is RekognitionException service && service.IsTerminal);
            _clock.Start();
        }

        /// <summary>Adds one pipeline record's faces; full batches go out at once. <paramref name="userId"/> may be null.</summary>
        protected void Enqueue(string collectionId, string userId, IReadOnlyList<string> faceIds)
        {
            for (int i = 0; i < faceIds.Count; i++)
            {
                string faceId = faceIds[i];
                if (!_batcher.Add(collectionId, userId, faceId, out FaceBatch full))
                    WriteVerbose($"Face {faceId} for {Scope(collectionId, userId)} was given more than once; it is sent once.");
                if (full != null) Dispatch(full);
            }

            Report(_dispatcher.TakeCompleted());
        }

        protected override void EndProcessing()
        {
            foreach (FaceBatch batch in _batcher.Flush()) Dispatch(batch);
            while (_dispatcher.Outstanding > 0) Report(_dispatcher.WaitAny());
            _batcher.Dispose();
            if (_progressShown)
                WriteProgress(new ProgressRecord(ProgressActivityId, ActionDescription, "Done") { RecordType = ProgressRecordType.Completed });
        }

        // Also when the command stops early (an error, Ctrl+C): the batcher's memory is freed now.
        protected override void Dispose(bool disposing)
        {
            if (disposing) _batcher?.Dispose();
            base.Dispose(disposing);
        }

        private static string Scope(string collectionId, string userId) =>
            userId != null ? $"user '{userId}' in collection '{collectionId}'" : $"collection '{collectionId}'";

        private void Dispatch(FaceBatch batch)
        {
            string target = $"{batch.FaceIds.Count} face(s) " + (batch.UserId != null ? "of " : "in ") + Scope(batch.CollectionId, batch.UserId);
            if (!ConfirmTarget(Force, target, ActionDescription)) return;

            RekognitionApi api = Api;
            // Bound memory: wait for a send to finish while twice the throttle limit is outstanding.
            while (_dispatcher.Outstanding >= 2 * ThrottleLimit) Report(_dispatcher.WaitAny());
            _dispatcher.Submit(batch.UserKey, batch, token => SendAsync(api, batch, token));
        }

        private void Report(IReadOnlyList<BatchDispatcher<FaceBatch, FaceBatchOutcome>.Completion> completions)
        {
            foreach (var completion in completions)
            {
                FaceBatch batch = completion.State;
                string scope = batch.UserId != null ? $"user '{batch.UserId}', collection '{batch.CollectionId}'" : $"collection '{batch.CollectionId}'";
                if (completion.Error != null)
                {
                    // Ctrl+C: the sends still in flight come back canceled; stop, reporting nothing more.
                    if (CancellationToken.IsCancellationRequested) throw new PipelineStoppedException();
                    var failure = completion.Error as RekognitionException
                                  ?? new RekognitionException(ErrorCodes.ClientError, completion.Error.Message, innerException: completion.Error);
                    WriteVerbose($"Batch {batch.Number} ({batch.FaceIds.Count} face(s), {scope}) failed after {failure.Attempts} attempt(s): {failure.ErrorCode}" +
                                 (failure.RequestId != null ? $"; request id {failure.RequestId}." : "."));
                    ReportFailure(failure, ToArray(batch.FaceIds));
                    continue;
                }

                FaceBatchOutcome outcome = completion.Result;
                WriteVerbose($"Batch {batch.Number} ({batch.FaceIds.Count} face(s), {scope}): " +
                             $"{outcome.Succeeded.Count} {SucceededDescription}, {outcome.Unsuccessful.Count} unsuccessful; " +
                             $"{outcome.Attempts} attempt(s); request id {outcome.RequestId ?? "none"}.");
                foreach (FaceVerdict verdict in FaceVerdicts.For(batch.FaceIds, outcome)) WriteObject(ResultFor(batch, outcome, verdict));
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
                $"{_facesDone} face(s) in {_batchesDone} batch(es) done; current {Scope(current.CollectionId, current.UserId)}"));
        }

        private static string[] ToArray(IReadOnlyList<string> items)
        {
            var array = new string[items.Count];
            for (int i = 0; i < array.Length; i++) array[i] = items[i];
            return array;
        }
    }
}
