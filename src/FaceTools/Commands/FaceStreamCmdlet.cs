using System;
using System.Collections.Generic;
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
        // -Verbose names this many repeated face IDs one by one, then counts the rest once, at the end.
        private const int DuplicatesNamed = 10;
        private ProgressPacing _progress;
        private int _facesDone;
        private int _batchesDone;
        private FaceBatcher _batcher;
        private BatchDispatcher<FaceBatch, FaceBatchOutcome> _dispatcher;
        // What a stop must still account for besides the dispatcher and the batcher: the record whose IDs are
        // being added (from _nextFace on, for _recordCollectionId and _recordUserId) and a full batch waiting for
        // room to be sent.
        private IReadOnlyList<string> _record;
        private string _recordCollectionId;
        private string _recordUserId;
        private int _nextFace;
        private FaceBatch _waiting;

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
            _dispatcher = NewDispatcher<FaceBatch, FaceBatchOutcome>(ThrottleLimit);
            _progress = new ProgressPacing(ProgressActivityId, ActionDescription);
            // A configuration error (no credentials, a bad region) stops the command before it reads any face;
            // -WhatIf sends nothing, so it needs none.
            if (!IsWhatIf()) _ = Api;
        }

        /// <summary>
        /// Checks one pipeline record (see <see cref="AcceptRecord"/>) and adds its faces; full batches go out at once.
        /// <paramref name="userId"/> is null for a command without users (<paramref name="hasUser"/> false).
        /// </summary>
        protected void Enqueue(string collectionId, string userId, bool hasUser, IReadOnlyList<string> faceIds)
        {
            if (!AcceptRecord(collectionId, userId, hasUser, faceIds)) return;
            _record = faceIds;
            _recordCollectionId = collectionId;
            _recordUserId = userId;
            for (int i = 0; i < faceIds.Count; i++)
            {
                string faceId = faceIds[i];
                if (!_batcher.Add(collectionId, userId, faceId, out FaceBatch full) && _batcher.Duplicates <= DuplicatesNamed)
                    WriteVerbose($"Face {faceId} for {Scope(collectionId, userId)} was given more than once; it is sent once." +
                                 (_batcher.Duplicates == DuplicatesNamed ? " Further repeats are counted at the end." : ""));
                if (full == null) continue;
                // Only a dispatch can stop the command inside this loop.
                _nextFace = i + 1;
                Dispatch(full);
            }

            _record = null;
            Report(_dispatcher.TakeCompleted());
        }

        protected override void EndProcessing()
        {
            foreach (FaceBatch batch in _batcher.Flush()) Dispatch(batch);
            while (_dispatcher.Outstanding > 0) Report(_dispatcher.WaitAny());
            if (_batcher.Duplicates > DuplicatesNamed)
                WriteVerbose($"{_batcher.Duplicates} face IDs in all were repeats of one given before; each face was sent once.");
            _batcher.Dispose();
            _progress.Complete(this);
        }

        // Also when the command stops early (an error, Ctrl+C): the batcher's memory is freed now.
        protected override void Dispose(bool disposing)
        {
            if (disposing) _batcher?.Dispose();
            base.Dispose(disposing);
        }

        private static string Scope(string collectionId, string userId) =>
            userId != null ? $"user '{userId}' in collection '{collectionId}'" : $"collection '{collectionId}'";

        private static string VerboseScope(FaceBatch batch) =>
            batch.UserId != null ? $"user '{batch.UserId}', collection '{batch.CollectionId}'" : $"collection '{batch.CollectionId}'";

        private void Dispatch(FaceBatch batch)
        {
            string target = $"{batch.FaceIds.Count} face(s) " + (batch.UserId != null ? "of " : "in ") + Scope(batch.CollectionId, batch.UserId);
            if (!ConfirmTarget(Force, target, ActionDescription, batch.FaceIds)) return;

            RekognitionApi api = Api;
            // Bound memory: wait for a send to finish while twice the throttle limit is outstanding.
            _waiting = batch;
            while (_dispatcher.Outstanding >= 2 * ThrottleLimit) Report(_dispatcher.WaitAny());
            _waiting = null;
            _dispatcher.Submit(batch.UserKey, batch, token => SendAsync(api, batch, token));
        }

        private void Report(IReadOnlyList<BatchDispatcher<FaceBatch, FaceBatchOutcome>.Completion> completions)
        {
            for (int i = 0; i < completions.Count; i++)
            {
                var completion = completions[i];
                if (completion.Error == null)
                {
                    ReportOutcome(completion.State, completion.Result);
                    continue;
                }

                // Ctrl+C: the sends still in flight come back canceled; stop, reporting nothing more.
                if (CancellationToken.IsCancellationRequested) throw new PipelineStoppedException();
                RekognitionException failure = FailureOfBatch(completion);
                if (EndsCommand(failure)) StopAt(failure, completion.State, completions, i + 1);
                ReportFailure(failure, ToArray(completion.State.FaceIds), BatchName(completion.State));
            }
        }

        private void ReportOutcome(FaceBatch batch, FaceBatchOutcome outcome)
        {
            WriteVerbose($"Batch {batch.Number} ({batch.FaceIds.Count} face(s), {VerboseScope(batch)}): " +
                         $"{outcome.Succeeded.Count} {SucceededDescription}, {outcome.Unsuccessful.Count} unsuccessful; " +
                         $"{outcome.Attempts} attempt(s); request id {outcome.RequestId ?? "none"}.");
            foreach (FaceVerdict verdict in FaceVerdicts.For(batch.FaceIds, outcome)) WriteObject(ResultFor(batch, outcome, verdict));
            _facesDone += batch.FaceIds.Count;
            _batchesDone++;
            ShowProgress(batch);
        }

        private RekognitionException FailureOfBatch(BatchDispatcher<FaceBatch, FaceBatchOutcome>.Completion completion)
        {
            FaceBatch batch = completion.State;
            RekognitionException failure = FailureOf(completion.Error);
            WriteVerbose($"Batch {batch.Number} ({batch.FaceIds.Count} face(s), {VerboseScope(batch)}) failed after {failure.Attempts} attempt(s): {failure.ErrorCode}" +
                         (failure.RequestId != null ? $"; request id {failure.RequestId}." : "."));
            return failure;
        }

        /// <summary>
        /// The command stops at this failure (one no later request can escape, or -ErrorAction Stop): nothing
        /// more is sent, and still every face handed in ends up in one result or one error. Batches that
        /// completed (or, but for a failure no request can escape, were in flight and end within the patience)
        /// are reported as usual; the faces of every other batch (failed, canceled, queued, or not yet full) join
        /// the failed batch's in its error, which is the command's last word.
        /// </summary>
        private void StopAt(RekognitionException failure, FaceBatch failed, IReadOnlyList<BatchDispatcher<FaceBatch, FaceBatchOutcome>.Completion> completions, int next) =>
            StopAt(failed.FaceIds, (faces, detail) => ErrorRecordFor(failure, faces, detail, BatchName(failed)), failure.IsTerminal, completions, next);

        // What the category line of a batch's error names (PowerShell shortens it past 40 characters).
        private static string BatchName(FaceBatch batch) => batch.UserId != null ? $"{batch.CollectionId}/{batch.UserId}" : batch.CollectionId;

        /// <summary>
        /// <see cref="StopAt(RekognitionException, FaceBatch, IReadOnlyList{BatchDispatcher{FaceBatch, FaceBatchOutcome}.Completion}, int)"/>
        /// for any error: <paramref name="errorFor"/> makes it from the faces it names and a detail to add to its message.
        /// </summary>
        private void StopAt(IReadOnlyList<string> failedFaces, Func<string[], string, ErrorRecord> errorFor, bool terminal,
            IReadOnlyList<BatchDispatcher<FaceBatch, FaceBatchOutcome>.Completion> completions, int next)
        {
            // A failure no later request can escape cancels the requests in flight too; any other lets them end
            // (within the patience), so that their faces get a definite answer rather than none.
            var unsettled = new List<string>(failedFaces);
            foreach (FaceBatch unanswered in SettleAtStop(_dispatcher, terminal, completions, next, ReportOutcome)) unsettled.AddRange(unanswered.FaceIds);
            if (_waiting != null) unsettled.AddRange(_waiting.FaceIds);
            // The rest of the record goes through the batcher, which drops the faces it has met already: each
            // face is named once, and none that has a result.
            for (int i = _nextFace; _record != null && i < _record.Count; i++)
                if (_batcher.Add(_recordCollectionId, _recordUserId, _record[i], out FaceBatch full) && full != null) unsettled.AddRange(full.FaceIds);
            foreach (FaceBatch open in _batcher.Flush()) unsettled.AddRange(open.FaceIds);
            _waiting = null;
            _record = null;

            int others = unsettled.Count - failedFaces.Count;
            string detail = others == 0 ? null
                : $"The command stopped at this error: {others} more face(s) were not sent, or were sent without an answer; they are named in this error" +
                  (failedFaces.Count == 0 ? "." : $" with its own {failedFaces.Count}.");
            _progress.Complete(this);
            StopWith(errorFor(unsettled.ToArray(), detail), terminal);
        }

        /// <summary>
        /// Checks one pipeline record against the service's rules. The ID parameters take any string, null or empty
        /// value, and the rules are checked here rather than by validation attributes: PowerShell's binder, refusing a
        /// piped record under -ErrorAction Stop, would end the command on the spot, with the answers of the batches in
        /// flight unreported. A refused record is one error naming its faces (or, under -ErrorAction Stop, the error
        /// the command stops at, naming every face not answered). <paramref name="userId"/> is checked unless null is
        /// what the command takes (<paramref name="hasUser"/> false).
        /// </summary>
        private bool AcceptRecord(string collectionId, string userId, bool hasUser, IReadOnlyList<string> faceIds)
        {
            string parameter = "FaceId", problem = Checked(parameter) ? null : ProblemWithFaceIds(faceIds);
            if (problem == null && !Checked("CollectionId") && (problem = FieldRules.CollectionId.Explain(collectionId)) != null) parameter = "CollectionId";
            if (problem == null && hasUser && !Checked("UserId") && (problem = FieldRules.UserId.Explain(userId)) != null) parameter = "UserId";
            if (problem == null) return true;

            // The record's faces, each once, but for those met before in this command's input: they get their own
            // result, or are named by the stop with the batches not sent.
            var named = new List<string>();
            var distinct = new HashSet<string>(StringComparer.Ordinal);
            if (faceIds != null)
                foreach (string faceId in faceIds)
                    if (!string.IsNullOrEmpty(faceId) && distinct.Add(faceId) && !(FieldRules.FaceId.IsValid(faceId) && _batcher.Has(collectionId, userId, faceId)))
                        named.Add(faceId);
            ErrorRecord ErrorFor(string[] faces, string detail) =>
                InvalidArgument(parameter, problem, faceIds, faces.Length == 0 ? null : faces.Length == 1 ? faces[0] : (object)faces, detail);
            if (StopsAtErrors) StopAt(named, ErrorFor, terminal: false, BatchDispatcher<FaceBatch, FaceBatchOutcome>.NothingCompleted, 0);
            WriteError(ErrorFor(named.ToArray(), null));
            return false;
        }

        /// <summary>
        /// <see cref="RekognitionCmdlet.CheckArgument(string, string, IReadOnlyList{string})"/> against a field rule; a
        /// list of face IDs is checked whole (empty) and face by face.
        /// </summary>
        protected void CheckArgument(string parameter, FieldRule rule, IReadOnlyList<string> values) =>
            CheckArgument(parameter, rule == FieldRules.FaceId ? ProblemWithFaceIds(values) : rule.Explain(values?[0]), values);

        private static string ProblemWithFaceIds(IReadOnlyList<string> faceIds)
        {
            if (faceIds == null) return FieldRules.FaceId.Explain(null);
            if (faceIds.Count == 0) return $"The list of face IDs is empty; give at least one, each {FieldRules.FaceId.Description}.";
            for (int i = 0; i < faceIds.Count; i++)
            {
                string problem = FieldRules.FaceId.Explain(faceIds[i]);
                if (problem != null) return problem;
            }

            return null;
        }

        private const int ProgressActivityId = 0x4661;

        private void ShowProgress(FaceBatch current) =>
            _progress.Update(this, () => $"{_facesDone} face(s) in {_batchesDone} batch(es) done; current {Scope(current.CollectionId, current.UserId)}");

        private static string[] ToArray(IReadOnlyList<string> items)
        {
            var array = new string[items.Count];
            for (int i = 0; i < array.Length; i++) array[i] = items[i];
            return array;
        }
    }
}
