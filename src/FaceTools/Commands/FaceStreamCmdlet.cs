using System;
using System.Collections;
using System.Collections.Generic;
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
    /// The streaming batcher behind the cmdlets that take face IDs from the pipeline: IDs are de-duplicated and
    /// batched (<see cref="BatchSize"/> per collection, and per user where there is one), each batch is confirmed,
    /// sent (batches for different keys concurrently, up to -ThrottleLimit; batches for one key one at a time) and
    /// reported as one object per face, or one error naming the batch's faces.
    /// </summary>
    public abstract class FaceStreamCmdlet : RekognitionCmdlet
    {
        /// <summary>The parameter set of face IDs given as arguments.</summary>
        protected const string FaceIdSet = "FaceId";

        /// <summary>The parameter set of piped objects, read by <see cref="EnqueueInput"/>.</summary>
        protected const string InputObjectSet = "InputObject";

        // The parameter of the user, where the command has one (FaceBatchCmdlet).
        private const string UserIdParameter = "UserId";
        // -FaceId's alias, also read as a piped object's property.
        private const string FaceIdAlias = "FaceIds";
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
        private bool _piped;
        // The collections given to -InputObject being read (innermost on top), positioned after the item being added.
        private readonly Stack<IEnumerator> _unreadItems = new Stack<IEnumerator>();
        private bool _collectionGiven;
        private bool _userGiven;

        // The rules of the ID parameters are checked in code (AcceptRecord, CheckArgument), not by validation
        // attributes: see AcceptRecord for why. Given with -InputObject, -CollectionId names the collection of
        // every piped object; otherwise each object's CollectionId property does.
        [Parameter(Mandatory = true, ParameterSetName = FaceIdSet)]
        [Parameter(ParameterSetName = InputObjectSet)]
        [TrimmedString]
        [AllowNull, AllowEmptyString]
        [ArgumentCompleter(typeof(CollectionIdCompleter))]
        public string CollectionId { get; set; }

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = FaceIdSet)]
        [Alias(FaceIdAlias)]
        [TrimmedString]
        [AllowNull, AllowEmptyString, AllowEmptyCollection]
        public string[] FaceId { get; set; }

        // The pipeline binds to this one parameter, and EnqueueInput reads each object's properties, rather than
        // PowerShell binding the ID parameters by property name: that binding took about as much CPU per request as
        // sending it. Null is taken so that EnqueueInput reports it with the record's other faces.
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
        [AllowNull]
        public PSObject InputObject { get; set; }

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

        /// <summary>Whether the faces go to users: true where the command has -UserId.</summary>
        protected virtual bool HasUser => false;

        /// <summary>The -UserId given, for a command whose faces go to users (<see cref="HasUser"/>).</summary>
        protected virtual string UserIdArgument => null;

        protected override void BeginProcessing()
        {
            CheckArgument(nameof(CollectionId), FieldRules.CollectionId, new[] { CollectionId });
            CheckArgument(nameof(FaceId), FieldRules.FaceId, FaceId);
            _piped = ParameterSetName == InputObjectSet;
            _collectionGiven = MyInvocation.BoundParameters.ContainsKey(nameof(CollectionId));
            _userGiven = HasUser && MyInvocation.BoundParameters.ContainsKey(UserIdParameter);
            base.BeginProcessing();
            _batcher = new FaceBatcher(BatchSize, BaseClientRequestToken);
            _dispatcher = NewDispatcher<FaceBatch, FaceBatchOutcome>(ThrottleLimit);
            _progress = new ProgressPacing(ProgressActivityId, ActionDescription);
            // A configuration error (no credentials, a bad region) stops the command before it reads any face;
            // -WhatIf sends nothing, so it needs none.
            if (!IsWhatIf()) _ = Api;
        }

        protected override void ProcessRecord()
        {
            if (_piped) EnqueueInput(InputObject);
            else Enqueue(CollectionId, UserIdArgument, FaceId, null);
        }

        /// <summary>
        /// Adds one piped object (see <see cref="Read"/>). A collection, given to -InputObject or piped as one object,
        /// is read item by item, each item a record of its own; the items not read yet are kept at hand, for a stop
        /// to name their faces.
        /// </summary>
        private void EnqueueInput(PSObject input)
        {
            if (Read(input, out InputRecord record, out IEnumerable items))
            {
                Enqueue(record.CollectionId, record.UserId, record.FaceIds, record.Problem);
                return;
            }

            IEnumerator unread = items.GetEnumerator();
            _unreadItems.Push(unread);
            try
            {
                while (unread.MoveNext()) EnqueueInput(AsInput(unread.Current));
            }
            finally
            {
                _unreadItems.Pop();
                (unread as IDisposable)?.Dispose();
            }
        }

        private static PSObject AsInput(object item) => item == null ? null : PSObject.AsPSObject(item);

        /// <summary>
        /// Reads one piped object as PowerShell's binding by property name, then by value, would: its FaceId (or
        /// FaceIds) property holds its face IDs, or else it is one itself (a string, most often); its CollectionId
        /// and UserId properties say where they go, unless the command line does. False, with
        /// <paramref name="items"/>, for a collection without a FaceId property: its items are records of their own.
        /// </summary>
        private bool Read(PSObject input, out InputRecord record, out IEnumerable items)
        {
            items = null;
            object item = input?.BaseObject;
            record = new InputRecord { CollectionId = CollectionId, UserId = UserIdArgument };
            if (item == null || item is string)
            {
                record.FaceIds = new[] { (item as string)?.Trim() };
            }
            else
            {
                PSPropertyInfo faces = input.Properties[nameof(FaceId)] ?? input.Properties[FaceIdAlias];
                if (faces == null && item is IEnumerable collection && !(item is IDictionary))
                {
                    items = collection;
                    return false;
                }

                if (faces != null) record.FaceIds = PipelineValues.Texts(ValueOf(faces, nameof(FaceId), ref record.Problem));
                else
                {
                    // As PowerShell would bind it by value: the object's text is the face ID.
                    string text = PipelineValues.Text(input)?.Trim();
                    record.FaceIds = new[] { text };
                    string invalid = FieldRules.FaceId.Explain(text);
                    if (invalid != null) record.Problem = new InputProblem(nameof(FaceId), invalid + " " + PipelineValues.NoFaceProperty(item));
                }
            }

            // A string may carry them too, as note properties.
            if (!_collectionGiven) record.CollectionId = IdProperty(input, nameof(CollectionId), ref record.Problem);
            if (HasUser && !_userGiven) record.UserId = IdProperty(input, UserIdParameter, ref record.Problem);
            return true;
        }

        // The property's value as an ID: a missing property or a list is the record's problem (the first one found).
        private static string IdProperty(PSObject input, string name, ref InputProblem problem)
        {
            PSPropertyInfo property = input?.Properties[name];
            if (property == null)
            {
                problem ??= InputProblem.Missing(name);
                return null;
            }

            object value = ValueOf(property, name, ref problem);
            if (PipelineValues.IsList(value))
            {
                problem ??= new InputProblem(name, $"The input object's {name} property holds a list; each object names one {(name == UserIdParameter ? "user" : "collection")}.");
                return null;
            }

            return PipelineValues.Text(value)?.Trim();
        }

        // A property whose getter throws (a script property, say) is the record's problem, as in PowerShell's binding.
        private static object ValueOf(PSPropertyInfo property, string parameter, ref InputProblem problem)
        {
            try
            {
                return property.Value;
            }
            catch (GetValueException e)
            {
                problem ??= new InputProblem(parameter, $"Reading the input object's {property.Name} property failed: {e.InnerException?.Message ?? e.Message}");
                return null;
            }
        }

        /// <summary>
        /// Checks one record (see <see cref="AcceptRecord"/>) and adds its faces; full batches go out at once.
        /// <paramref name="userId"/> is null for a command without users. <paramref name="problem"/>, when not null,
        /// refuses the record before its IDs are checked.
        /// </summary>
        private void Enqueue(string collectionId, string userId, IReadOnlyList<string> faceIds, InputProblem problem)
        {
            if (!AcceptRecord(collectionId, userId, faceIds, problem)) return;
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
            var invalidNamed = new HashSet<string>(failedFaces, StringComparer.Ordinal);
            for (int i = _nextFace; _record != null && i < _record.Count; i++) AddUnsent(_recordCollectionId, _recordUserId, _record[i], unsettled, invalidNamed);
            // So do the faces of the items not read yet of the collections given to -InputObject.
            foreach (IEnumerator unread in _unreadItems)
                while (unread.MoveNext()) AddUnread(AsInput(unread.Current), unsettled, invalidNamed);
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

        // A face not sent at a stop: through the batcher, which drops those it has met already (each face is named
        // once, and none that has a result); one that is not a face ID is named as it is, once.
        private void AddUnsent(string collectionId, string userId, string faceId, List<string> unsettled, HashSet<string> invalidNamed)
        {
            if (!FieldRules.FaceId.IsValid(faceId))
            {
                if (!string.IsNullOrEmpty(faceId) && invalidNamed.Add(faceId)) unsettled.Add(faceId);
                return;
            }

            if (_batcher.Add(collectionId, userId, faceId, out FaceBatch full) && full != null) unsettled.AddRange(full.FaceIds);
        }

        private void AddUnread(PSObject input, List<string> unsettled, HashSet<string> invalidNamed)
        {
            if (!Read(input, out InputRecord record, out IEnumerable items))
            {
                foreach (object item in items) AddUnread(AsInput(item), unsettled, invalidNamed);
                return;
            }

            foreach (string faceId in record.FaceIds ?? Array.Empty<string>()) AddUnsent(record.CollectionId, record.UserId, faceId, unsettled, invalidNamed);
        }

        /// <summary>
        /// Checks one pipeline record against the service's rules. The ID parameters take any string, null or empty
        /// value, and the rules are checked here rather than by validation attributes: PowerShell's binder, refusing a
        /// piped record under -ErrorAction Stop, would end the command on the spot, with the answers of the batches in
        /// flight unreported. A refused record is one error naming its faces (or, under -ErrorAction Stop, the error
        /// the command stops at, naming every face not answered). <paramref name="userId"/> is checked where the
        /// command has users (<see cref="HasUser"/>); <paramref name="problem"/>, found reading the record, comes first.
        /// </summary>
        private bool AcceptRecord(string collectionId, string userId, IReadOnlyList<string> faceIds, InputProblem problem)
        {
            if (problem == null && !Checked(nameof(FaceId)) && ProblemWithFaceIds(faceIds) is string invalidFaces) problem = new InputProblem(nameof(FaceId), invalidFaces);
            if (problem == null && !Checked(nameof(CollectionId)) && FieldRules.CollectionId.Explain(collectionId) is string invalidCollection)
                problem = new InputProblem(nameof(CollectionId), invalidCollection);
            if (problem == null && HasUser && !Checked(UserIdParameter) && FieldRules.UserId.Explain(userId) is string invalidUser) problem = new InputProblem(UserIdParameter, invalidUser);
            if (problem == null) return true;
            Refuse(collectionId, userId, faceIds, problem);
            return false;
        }

        // Refuses a record, as AcceptRecord says: in a method of its own, so that the error's closure is made only then.
        private void Refuse(string collectionId, string userId, IReadOnlyList<string> faceIds, InputProblem problem)
        {
            // The record's faces, each once, but for those met before in this command's input: they get their own
            // result, or are named by the stop with the batches not sent.
            var named = new List<string>();
            var distinct = new HashSet<string>(StringComparer.Ordinal);
            if (faceIds != null)
                foreach (string faceId in faceIds)
                    if (!string.IsNullOrEmpty(faceId) && distinct.Add(faceId) && !(FieldRules.FaceId.IsValid(faceId) && _batcher.Has(collectionId, userId, faceId)))
                        named.Add(faceId);
            ErrorRecord ErrorFor(string[] faces, string detail) =>
                InvalidArgument(problem.Parameter, problem.Text, faceIds, faces.Length == 0 ? null : faces.Length == 1 ? faces[0] : (object)faces, detail, problem.ErrorId, problem.Category);
            if (StopsAtErrors) StopAt(named, ErrorFor, terminal: false, BatchDispatcher<FaceBatch, FaceBatchOutcome>.NothingCompleted, 0);
            WriteError(ErrorFor(named.ToArray(), null));
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

        /// <summary>One piped object as read: where its faces go, the faces, and why it is refused, if it is.</summary>
        private struct InputRecord
        {
            public string CollectionId;
            public string UserId;
            public IReadOnlyList<string> FaceIds;
            public InputProblem Problem;
        }

        /// <summary>Why a record is refused: the parameter it names, the problem in words, and the error's ID and category.</summary>
        private sealed class InputProblem
        {
            public InputProblem(string parameter, string text, string errorId = null, ErrorCategory category = ErrorCategory.InvalidData)
            {
                Parameter = parameter;
                Text = text;
                ErrorId = errorId;
                Category = category;
            }

            public string Parameter { get; }
            public string Text { get; }
            public string ErrorId { get; }
            public ErrorCategory Category { get; }

            /// <summary>Neither the command line nor the piped object gives the parameter: PowerShell's own ID for that.</summary>
            public static InputProblem Missing(string parameter) =>
                new InputProblem(parameter, $"The input object has no {parameter} property, and -{parameter} was not given: give -{parameter}, or pipe objects that have it.",
                    "InputObjectMissingMandatory", ErrorCategory.InvalidArgument);
        }
    }
}
