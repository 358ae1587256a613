using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using FaceTools.Completion;
using FaceTools.Engine.Batching;
using FaceTools.Engine.Client;
using FaceTools.Engine.Operations;

namespace FaceTools.Commands
{
    /// <summary>
    /// The base of every FaceTools cmdlet: the AWS common parameters, the shared client, cancellation
    /// wired to Ctrl+C, and the one mapping from engine failures to ErrorRecords.
    /// </summary>
    public abstract class RekognitionCmdlet : PSCmdlet, IDisposable
    {
        private CancellationTokenSource _cancellation;
        private RekognitionApi _api;
        private HashSet<string> _seen;
        private HashSet<string> _checkedArguments;

        /// <summary>The AWS region, for example us-east-1.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(RegionCompleter))]
        public string Region { get; set; }

        /// <summary>The name of a profile in the shared credentials or config file.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [Alias("StoredCredentials", "AWSProfileName")]
        [ArgumentCompleter(typeof(ProfileNameCompleter))]
        public string ProfileName { get; set; }

        /// <summary>The shared credentials file to read profiles from.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [Alias("AWSProfilesLocation", "ProfilesLocation")]
        public string ProfileLocation { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string AccessKey { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string SecretKey { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string SessionToken { get; set; }

        /// <summary>An AWSCredentials object, such as Get-AWSCredential returns.</summary>
        [Parameter]
        [ValidateNotNull]
        public object Credential { get; set; }

        /// <summary>The service endpoint to call instead of the region's (for example a VPC endpoint).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string EndpointUrl { get; set; }

        /// <summary>Seconds each attempt of a request may take before it times out.</summary>
        [Parameter]
        [ValidateRange(1, 3600)]
        public int TimeoutSec { get; set; }

        /// <summary>
        /// How long a stop waits for the requests in flight to end: those it lets finish are answered within it, and
        /// canceled ones end at once unless something ignores cancellation.
        /// </summary>
        protected static readonly TimeSpan StopPatience = TimeSpan.FromSeconds(10);

        protected CancellationToken CancellationToken => _cancellation.Token;

        /// <summary>How many requests this cmdlet may have in flight; sizes the connection pool.</summary>
        protected virtual int MaxConcurrency => 1;

        protected override void BeginProcessing()
        {
            _cancellation = new CancellationTokenSource();
            string endpoint = RekognitionClients.ConfiguredEndpoint(EndpointUrl);
            if (RekognitionClients.IsUnencryptedRemoteEndpoint(endpoint))
                WriteWarning($"The endpoint '{RekognitionClients.Redacted(endpoint)}' uses plain http to a host that is not this computer: signed requests and their data travel unencrypted. Use https.");
        }

        protected override void StopProcessing() => CancelRequests();

        /// <summary>The session's shared client for these common parameters; resolved on first use.</summary>
        protected RekognitionApi Api
        {
            get
            {
                if (_api == null)
                {
                    try
                    {
                        _api = RekognitionClients.Get(ConnectionParameters.From(MyInvocation.BoundParameters, MaxConcurrency, location => ConnectionParameters.ProfileFile(SessionState.Path, location)));
                    }
                    catch (RekognitionException exception)
                    {
                        ThrowTerminatingError(ErrorRecordFor(exception, null));
                    }
                }

                return _api;
            }
        }

        /// <summary>
        /// A failure as PowerShell reports it: the service's code first in the error id; <paramref name="detail"/> is added to
        /// its message. <paramref name="targetName"/> names the batch whose face IDs are the target, in the error's category
        /// line, where the list would read "String[]".
        /// </summary>
        protected ErrorRecord ErrorRecordFor(RekognitionException exception, object target, string detail = null, string targetName = null)
        {
            var record = new ErrorRecord(exception, exception.ErrorCode, CategoryFor(exception), target);
            if (targetName != null)
            {
                record.CategoryInfo.TargetName = targetName;
                record.CategoryInfo.TargetType = "FaceIds";
            }
            string action = RecommendedActionFor(exception);
            if (action != null || detail != null)
                record.ErrorDetails = new ErrorDetails(detail == null ? exception.Message : exception.Message + " " + detail) { RecommendedAction = action };
            return record;
        }

        /// <summary>Whether a written error stops the command (-ErrorAction Stop, or the caller's $ErrorActionPreference).</summary>
        protected bool StopsAtErrors => Stops("ErrorAction", "ErrorActionPreference");

        /// <summary>Whether a written warning stops the command (-WarningAction Stop, or the caller's $WarningPreference).</summary>
        protected bool StopsAtWarnings => Stops("WarningAction", "WarningPreference");

        private bool Stops(string parameter, string preferenceVariable) =>
            LanguagePrimitives.TryConvertTo(GivenOrPreference(parameter, preferenceVariable), out ActionPreference action) &&
            action == ActionPreference.Stop;

        /// <summary>
        /// A dispatcher for this command's sends: canceled with the command, and stopping every send at a failure no
        /// request can escape.
        /// </summary>
        protected BatchDispatcher<TState, TResult> NewDispatcher<TState, TResult>(int throttleLimit) =>
            new BatchDispatcher<TState, TResult>(throttleLimit, CancellationToken, failure => failure is RekognitionException service && service.IsTerminal);

        /// <summary>
        /// What every stop of a command that sends through a dispatcher does first: no send starts from now on (a
        /// failure no request can escape, <paramref name="terminal"/>, also cancels those in flight); the completions
        /// from <paramref name="next"/> on, and those of the sends in flight that end within <see cref="StopPatience"/>,
        /// are settled: <paramref name="write"/> writes each answered one, and the states of the others (failed,
        /// canceled, never ended) come back, for the error the command stops at to name.
        /// </summary>
        protected List<TState> SettleAtStop<TState, TResult>(BatchDispatcher<TState, TResult> dispatcher, bool terminal,
            IReadOnlyList<BatchDispatcher<TState, TResult>.Completion> completions, int next, Action<TState, TResult> write)
        {
            if (terminal) CancelRequests();
            else dispatcher.StopStarting();
            var unanswered = new List<TState>();
            void Settle(BatchDispatcher<TState, TResult>.Completion completion)
            {
                if (completion.Error == null) write(completion.State, completion.Result);
                else unanswered.Add(completion.State);
            }

            for (int i = next; i < completions.Count; i++) Settle(completions[i]);
            var drained = dispatcher.Drain(StopPatience, out IReadOnlyList<TState> abandoned);
            foreach (var completion in drained) Settle(completion);
            CancelRequests();
            unanswered.AddRange(abandoned);
            return unanswered;
        }

        /// <summary>Ends the command with this error. Unless it is a failure no request can escape, it is written first, so that under -ErrorAction Stop it stops the script, as any error would.</summary>
        protected void StopWith(ErrorRecord record, bool terminal)
        {
            if (!terminal) WriteError(record);
            ThrowTerminatingError(record);
        }

        /// <summary>Whether a failed send ends the command: a failure no request can escape, or any error under -ErrorAction Stop; never a cancellation.</summary>
        protected bool EndsCommand(RekognitionException failure) =>
            failure.Kind != FailureKind.Canceled && (failure.IsTerminal || StopsAtErrors);

        /// <summary>A failed send's exception, as the RekognitionException the engine throws for all but a bug.</summary>
        protected static RekognitionException FailureOf(Exception error) =>
            error as RekognitionException ?? new RekognitionException(ErrorCodes.ClientError, error.Message, innerException: error);

        /// <summary>
        /// Checks a value given on the command line, before any input is read: a bad one (<paramref name="problem"/>
        /// says how, null for none) ends the command, as PowerShell's own validation of an argument would. Nothing is
        /// checked for a parameter not given there. A command whose pipeline-bound parameters carry no validation
        /// attributes (so that PowerShell's binder never refuses a record, see FaceStreamCmdlet.AcceptRecord) checks
        /// its records in code, skipping what <see cref="Checked"/> says was checked here.
        /// </summary>
        protected void CheckArgument(string parameter, string problem, IReadOnlyList<string> values)
        {
            if (!MyInvocation.BoundParameters.ContainsKey(parameter)) return;
            if (problem == null) { (_checkedArguments ??= new HashSet<string>(StringComparer.Ordinal)).Add(parameter); return; }
            ThrowTerminatingError(InvalidArgument(parameter, problem, values, values?.Count == 1 ? values[0] : (object)values, null));
        }

        /// <summary>Whether the parameter's value came from the command line and passed <see cref="CheckArgument"/>: it is the same for every record.</summary>
        protected bool Checked(string parameter) => _checkedArguments != null && _checkedArguments.Contains(parameter);

        /// <summary>A refused value in the words and with the IDs of PowerShell's own validation errors (an empty list has one of its own).</summary>
        protected static ErrorRecord InvalidArgument(string parameter, string problem, IReadOnlyList<string> values, object target, string detail,
            string errorId = null, ErrorCategory category = ErrorCategory.InvalidData)
        {
            errorId ??= values != null && values.Count == 0 ? "ParameterArgumentValidationErrorEmptyArrayNotAllowed" : "ParameterArgumentValidationError";
            string message = $"Cannot validate argument on parameter '{parameter}'. {problem}";
            var record = new ErrorRecord(new ParameterBindingException(message), errorId, category, target);
            if (detail != null) record.ErrorDetails = new ErrorDetails(message + " " + detail);
            return record;
        }

        /// <summary>
        /// True the first time this command meets <paramref name="key"/>: a target named more than once (by many
        /// piped faces of one user, say) is acted on once, and -Verbose says so.
        /// </summary>
        protected bool FirstTime(string key, string target, string done)
        {
            if ((_seen ??= new HashSet<string>(StringComparer.Ordinal)).Add(key)) return true;
            WriteVerbose($"{target} was given more than once; it is {done} once.");
            return false;
        }

        /// <summary>Whether <see cref="FirstTime"/> has met <paramref name="key"/> already.</summary>
        protected bool Met(string key) => _seen != null && _seen.Contains(key);

        /// <summary>Cancels every request of this command, sent or queued.</summary>
        protected void CancelRequests() => _cancellation?.Cancel();

        /// <summary>Writes a failure; stops the command for failures no later request can escape.</summary>
        protected void ReportFailure(RekognitionException exception, object target, string targetName = null)
        {
            if (exception.Kind == FailureKind.Canceled) throw new PipelineStoppedException();
            var record = ErrorRecordFor(exception, target, targetName: targetName);
            if (exception.IsTerminal)
            {
                CancelRequests();
                ThrowTerminatingError(record);
            }

            WriteError(record);
        }

        /// <summary>
        /// ShouldProcess, where -Force answers the confirmation prompt and nothing else: -Confirm still asks,
        /// and -WhatIf or $WhatIfPreference still only reports. -Confirm:$false and -WhatIf:$false are not
        /// requests to ask.
        /// </summary>
        protected bool ConfirmTarget(bool force, string target, string action)
        {
            if (Forced(force, () => Operation(action, target) + ".")) return true;
            return ShouldProcess(target, action);
        }

        // -Force without -Confirm or -WhatIf: yes without asking. -Verbose still says what is done, as ShouldProcess would.
        private bool Forced(bool force, Func<string> description)
        {
            if (!force || IsSwitchOn("Confirm") || IsWhatIf()) return false;
            if (IsVerbose()) WriteVerbose(description());
            return true;
        }

        private static string Operation(string action, string target) => $"Performing the operation \"{action}\" on target \"{target}\"";

        private bool IsVerbose()
        {
            object verbose = GivenOrPreference("Verbose", "VerbosePreference");
            if (verbose is SwitchParameter given) return given.IsPresent;
            return LanguagePrimitives.TryConvertTo(verbose, out ActionPreference preference) &&
                   preference != ActionPreference.SilentlyContinue && preference != ActionPreference.Ignore;
        }

        /// <summary>
        /// <see cref="ConfirmTarget(bool, string, string)"/> for a target of many items (a batch's faces): -WhatIf and
        /// -Verbose name the first <see cref="ItemsNamed"/> (every face of a user's batch), so a dry run says what would
        /// change; the confirmation prompt names the first <see cref="ItemsPrompted"/>.
        /// </summary>
        protected bool ConfirmTarget(bool force, string target, string action, IReadOnlyList<string> items)
        {
            if (Forced(force, () => $"{Operation(action, target)}: {FirstOf(items, ItemsNamed)}.")) return true;
            string operation = Operation(action, target);
            return ShouldProcess($"{operation}: {FirstOf(items, ItemsNamed)}.",
                $"Are you sure you want to perform this action?\n{operation}: {FirstOf(items, ItemsPrompted)}.", "Confirm");
        }

        private const int ItemsNamed = 100;
        private const int ItemsPrompted = 10;

        private static string FirstOf(IReadOnlyList<string> items, int count) =>
            items.Count <= count ? string.Join(", ", items) : string.Join(", ", items.Take(count)) + $" and {items.Count - count} more";

        private bool IsSwitchOn(string name) =>
            MyInvocation.BoundParameters.TryGetValue(name, out object value) && LanguagePrimitives.IsTrue(value);

        /// <summary>An optional parameter's value, or null when it was not given (the service's default then applies).</summary>
        protected T? IfGiven<T>(string parameter, T value) where T : struct =>
            MyInvocation.BoundParameters.ContainsKey(parameter) ? value : (T?)null;

        /// <summary>The -WhatIf given, else the caller's $WhatIfPreference, as ShouldProcess decides it.</summary>
        protected bool IsWhatIf() => LanguagePrimitives.IsTrue(GivenOrPreference("WhatIf", "WhatIfPreference"));

        /// <summary>A common parameter's value as given to this command, else the caller's preference variable it stands for.</summary>
        private object GivenOrPreference(string parameter, string preferenceVariable) =>
            MyInvocation.BoundParameters.TryGetValue(parameter, out object given) ? given : GetVariableValue(preferenceVariable);

        /// <summary>
        /// Sends one request from the pipeline thread and waits (Ctrl+C cancels it). A failure is
        /// reported as <see cref="ReportFailure"/> does, and the result is then false.
        /// </summary>
        protected bool TryCall<T>(Func<RekognitionApi, CancellationToken, Task<T>> call, object target, out T result)
        {
            RekognitionApi api = Api;
            try
            {
                result = call(api, CancellationToken).GetAwaiter().GetResult();
                return true;
            }
            catch (RekognitionException exception)
            {
                ReportFailure(exception, target);
                result = default;
                return false;
            }
        }

        internal static ErrorCategory CategoryOf(FailureKind kind)
        {
            switch (kind)
            {
                case FailureKind.NotFound: return ErrorCategory.ObjectNotFound;
                case FailureKind.AlreadyExists: return ErrorCategory.ResourceExists;
                case FailureKind.PermissionDenied: return ErrorCategory.PermissionDenied;
                case FailureKind.Authentication: return ErrorCategory.AuthenticationError;
                case FailureKind.InvalidArgument: return ErrorCategory.InvalidArgument;
                case FailureKind.InvalidData: return ErrorCategory.InvalidData;
                case FailureKind.Conflict: return ErrorCategory.ResourceBusy;
                case FailureKind.LimitsExceeded: return ErrorCategory.LimitsExceeded;
                case FailureKind.QuotaExceeded: return ErrorCategory.QuotaExceeded;
                case FailureKind.ServiceUnavailable: return ErrorCategory.ResourceUnavailable;
                case FailureKind.Connection: return ErrorCategory.ConnectionError;
                case FailureKind.Timeout: return ErrorCategory.OperationTimeout;
                case FailureKind.Protocol: return ErrorCategory.ProtocolError;
                case FailureKind.Configuration: return ErrorCategory.InvalidOperation;
                case FailureKind.Canceled: return ErrorCategory.OperationStopped;
                default: return ErrorCategory.NotSpecified;
            }
        }

        /// <summary>The error category of a failure; a cmdlet that knows what a service error means for it says so.</summary>
        protected virtual ErrorCategory CategoryFor(RekognitionException exception) => CategoryOf(exception.Kind);

        /// <summary>What to do about a failure, shown as the error's recommended action; null for nothing to add.</summary>
        protected virtual string RecommendedActionFor(RekognitionException exception)
        {
            if (exception.ErrorCode == "IdempotentParameterMismatchException")
                return "This -ClientRequestToken was used before with other input: give a new token for new input.";
            switch (exception.Kind)
            {
                case FailureKind.Authentication:
                    return "Check the access key, secret key and session token (or the profile) that the command uses, and the computer's clock.";
                case FailureKind.PermissionDenied:
                    return "Grant the identity the rekognition permission this operation needs, or use another profile.";
                case FailureKind.LimitsExceeded when exception.IsThrottling:
                    return MyInvocation.MyCommand.Parameters.ContainsKey("ThrottleLimit")
                        ? "The service is throttling requests: run the command again later, or with a lower -ThrottleLimit, or raise AWS_MAX_ATTEMPTS."
                        : "The service is throttling requests: run the command again later, or raise AWS_MAX_ATTEMPTS.";
                case FailureKind.ServiceUnavailable:
                case FailureKind.Connection:
                case FailureKind.Timeout:
                    string check = exception.Kind == FailureKind.Connection
                        ? "Check the network (and any proxy), and that -Region or -EndpointUrl names the service you meant. Then run"
                        : "Run";
                    if (MyInvocation.BoundParameters.ContainsKey("ClientRequestToken"))
                        return check + " the command again with the same -ClientRequestToken: what the service already did is answered again, not done again.";
                    return MyInvocation.MyCommand.Parameters.ContainsKey("ClientRequestToken")
                        ? check + " the command again; with a -ClientRequestToken, a rerun of the same input is answered, not done again."
                        : check + " the command again.";
                default:
                    return null;
            }
        }

        public void Dispose()
        {
            Dispose(true);
            GC.SuppressFinalize(this);
        }

        protected virtual void Dispose(bool disposing)
        {
            if (!disposing) return;
            // A command can end without StopProcessing (-ErrorAction Stop, Select-Object -First, an error
            // further down the pipeline): nothing it queued may be sent after it has ended.
            CancelRequests();
            _cancellation?.Dispose();
            _cancellation = null;
        }
    }
}
