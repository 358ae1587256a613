using FaceTools.Engine.Protocol;

namespace FaceTools.Emulator;

/// <summary>
/// The service side behind the wire: state, the idempotency store and the one lock that serialises them, so
/// concurrent retries with one ClientRequestToken cannot both apply.
/// </summary>
public sealed class RekognitionBackend
{
    private readonly object _gate = new();
    private RekognitionState _state = new();

    // (operation, ClientRequestToken) -> the first successful answer and a hash of the other parameters.
    private readonly Dictionary<(string Operation, string Token), (string ParameterHash, string Body)> _idempotency = new();

    /// <summary>
    /// Runs one operation. With <paramref name="apply"/> false it runs on a throw-away copy of the state and stores
    /// no idempotency record: a faulted request gets a realistic answer body but changes nothing.
    /// </summary>
    public (ApiResult Result, bool Replayed) Execute(string operation, RequestReader request, OperationContext context, bool apply)
    {
        lock (_gate)
        {
            try
            {
                string token = null, parameterHash = null;
                if (RekognitionOperations.Idempotent.Contains(operation))
                {
                    token = request.Optional(FieldRules.ClientRequestToken);
                    if (token != null)
                    {
                        parameterHash = request.ParameterHash();
                        if (_idempotency.TryGetValue((operation, token), out var stored))
                        {
                            if (stored.ParameterHash != parameterHash)
                                throw new ApiException(400, "IdempotentParameterMismatchException",
                                    $"ClientRequestToken '{token}' was already used for a {operation} request with other parameters.");
                            // A replay: the first answer again, nothing applied.
                            return (new ApiResult(200, null, stored.Body), true);
                        }
                    }
                }

                var state = apply ? _state : _state.Clone();
                var result = ApiResult.Ok(RekognitionOperations.Execute(operation, request, context, state));
                if (apply && token != null) _idempotency[(operation, token)] = (parameterHash, result.Body);
                return (result, false);
            }
            catch (ApiException e)
            {
                return (ApiResult.Error(e), false);
            }
        }
    }

    /// <summary>Reads or changes the state under the lock (control routes).</summary>
    public T WithState<T>(Func<RekognitionState, T> action)
    {
        lock (_gate) return action(_state);
    }

    public void Reset()
    {
        lock (_gate)
        {
            _state = new RekognitionState();
            _idempotency.Clear();
        }
    }
}
