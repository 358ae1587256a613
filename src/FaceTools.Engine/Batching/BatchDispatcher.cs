using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace FaceTools.Engine.Batching
{
    /// <summary>
    /// Runs sends concurrently up to a limit, never two for the same user key at once, and hands the
    /// completions back to one consuming thread (the PowerShell pipeline thread, which alone may write
    /// output). The consumer bounds memory by waiting whenever <see cref="Outstanding"/> is high.
    /// Nothing here is disposed: sends still running after the consumer stops finish into the void.
    /// </summary>
    public sealed class BatchDispatcher<TState, TResult>
    {
        public sealed class Completion
        {
            public TState State { get; internal set; }
            public TResult Result { get; internal set; }
            public Exception Error { get; internal set; }
            internal string Key;
            internal Task Finished;
        }

        private readonly SlotGate _slots;
        private readonly ConcurrentQueue<Completion> _completed = new ConcurrentQueue<Completion>();
        // Set when a completion is queued. The consumer blocks on it without spinning first (BlockingCollection
        // spins): with one send in flight it waits for every answer, and each spin is CPU spent on nothing.
        private readonly ManualResetEventSlim _arrived = new ManualResetEventSlim(false, spinCount: 0);
        // The latest send of each key whose completion the consumer has not taken yet: the next send for
        // that key waits for it. Taking a completion drops its entry, so memory does not grow with keys.
        private readonly Dictionary<string, Completion> _lastForKey = new Dictionary<string, Completion>(StringComparer.Ordinal);
        // Submitted and not yet taken by the consumer (Drain names those that never ended).
        private readonly HashSet<Completion> _pending = new HashSet<Completion>();
        private readonly CancellationToken _cancellationToken;
        private readonly CancellationTokenSource _stopSending;
        // Canceled by StopStarting (and with _stopSending): sends not started yet never start.
        private readonly CancellationTokenSource _stopStarting;
        private readonly Func<Exception, bool> _stopsEverything;
        /// <summary>No completions: what <see cref="TakeCompleted"/> returns when nothing has completed.</summary>
        public static readonly IReadOnlyList<Completion> NothingCompleted = new Completion[0];

        /// <param name="stopsEverything">
        /// Failures after which no further send may start (bad credentials, say): checked as each send
        /// fails, so a queued send cannot slip out before the consumer has seen the failure.
        /// </param>
        public BatchDispatcher(int throttleLimit, CancellationToken cancellationToken, Func<Exception, bool> stopsEverything = null)
        {
            if (throttleLimit < 1) throw new ArgumentOutOfRangeException(nameof(throttleLimit));
            ThrottleLimit = throttleLimit;
            _slots = new SlotGate(throttleLimit);
            _cancellationToken = cancellationToken;
            _stopSending = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            _stopStarting = CancellationTokenSource.CreateLinkedTokenSource(_stopSending.Token);
            _stopStarting.Token.Register(_slots.Close);
            _stopsEverything = stopsEverything;
        }

        public int ThrottleLimit { get; }

        /// <summary>Submitted and not yet taken by the consumer. Consumer thread only.</summary>
        public int Outstanding => _pending.Count;

        /// <summary>
        /// Starts a send after the previous send for the same key has finished. Consumer thread only. The send
        /// starts on the thread that gets its slot: the consumer's, when one is free, unless <paramref name="offload"/>
        /// asks for a pool thread, for a send whose start takes long (encoding and signing a large image).
        /// </summary>
        public void Submit(string key, TState state, Func<CancellationToken, Task<TResult>> send, bool offload = false)
        {
            _lastForKey.TryGetValue(key, out Completion previous);
            var completion = new Completion { State = state, Key = key };
            _lastForKey[key] = completion;
            _pending.Add(completion);
            completion.Finished = RunAsync(previous?.Finished, completion, send, offload);
        }

        /// <summary>
        /// No send starts from now on; those under way go on, and end as usual. The queued ones end canceled.
        /// </summary>
        public void StopStarting() => _stopStarting.Cancel();

        /// <summary>Keys with a send whose completion is not taken yet.</summary>
        internal int TrackedKeys => _lastForKey.Count;

        /// <summary>Completions so far, without waiting. Consumer thread only.</summary>
        public IReadOnlyList<Completion> TakeCompleted()
        {
            // Called for every pipeline record: nothing to take costs no allocation.
            if (_completed.IsEmpty) return NothingCompleted;
            var taken = new List<Completion>();
            while (_completed.TryDequeue(out Completion completion)) taken.Add(Taken(completion));
            return taken;
        }

        /// <summary>Waits for at least one completion (unless none is outstanding), then takes all there are. Consumer thread only.</summary>
        public IReadOnlyList<Completion> WaitAny()
        {
            var taken = new List<Completion>();
            if (Outstanding == 0) return taken;
            TryTake(Timeout.InfiniteTimeSpan, _cancellationToken, out Completion first);
            taken.Add(Taken(first));
            while (_completed.TryDequeue(out Completion completion)) taken.Add(Taken(completion));
            return taken;
        }

        /// <summary>
        /// For a consumer that has stopped sending (cancellation ends queued and in-flight sends at once): waits,
        /// up to <paramref name="patience"/>, for every outstanding send to end and takes their completions. The
        /// states of sends that have not ended by then (one that ignores cancellation) come back in
        /// <paramref name="abandoned"/>, and are forgotten. Consumer thread only.
        /// </summary>
        public IReadOnlyList<Completion> Drain(TimeSpan patience, out IReadOnlyList<TState> abandoned)
        {
            var taken = new List<Completion>();
            var clock = Stopwatch.StartNew();
            while (_pending.Count > 0)
            {
                TimeSpan left = patience - clock.Elapsed;
                if (left < TimeSpan.Zero || !TryTake(left, CancellationToken.None, out Completion completion)) break;
                taken.Add(Taken(completion));
            }

            var givenUp = new List<TState>();
            foreach (Completion stuck in _pending) givenUp.Add(stuck.State);
            _pending.Clear();
            _lastForKey.Clear();
            abandoned = givenUp;
            return taken;
        }

        private Task<TResult> Start(Func<CancellationToken, Task<TResult>> send)
        {
            // A stop that came while this send waited for its turn keeps it from starting. _stopSending is checked
            // too: while it is being canceled, the link that cancels _stopStarting runs last (callbacks run newest
            // first), and a send that ends in an earlier callback passes its slot on before then.
            _stopSending.Token.ThrowIfCancellationRequested();
            _stopStarting.Token.ThrowIfCancellationRequested();
            // On the consumer's thread, the send must not capture a synchronization context that host may have:
            // the consumer blocks in WaitAny, and a continuation posted to it would never run.
            SynchronizationContext context = SynchronizationContext.Current;
            if (context == null) return send(_stopSending.Token);
            SynchronizationContext.SetSynchronizationContext(null);
            try
            {
                return send(_stopSending.Token);
            }
            finally
            {
                SynchronizationContext.SetSynchronizationContext(context);
            }
        }

        // Waits up to the timeout (infinite: -1 ms) for a completion; throws OperationCanceledException when the token is canceled.
        private bool TryTake(TimeSpan timeout, CancellationToken cancellationToken, out Completion completion)
        {
            var clock = Stopwatch.StartNew();
            while (true)
            {
                if (_completed.TryDequeue(out completion)) return true;
                _arrived.Reset();
                // Queued between the first look and the reset: its Set came before the reset.
                if (_completed.TryDequeue(out completion)) return true;
                TimeSpan left = timeout == Timeout.InfiniteTimeSpan ? timeout : timeout - clock.Elapsed;
                if (left != Timeout.InfiniteTimeSpan && left < TimeSpan.Zero) return false;
                if (!_arrived.Wait(left, cancellationToken)) return _completed.TryDequeue(out completion);
            }
        }

        // Its send is over (completions are queued after it), so a later send for the key need not wait for it.
        private Completion Taken(Completion completion)
        {
            _pending.Remove(completion);
            if (_lastForKey.TryGetValue(completion.Key, out Completion last) && ReferenceEquals(last, completion))
                _lastForKey.Remove(completion.Key);
            return completion;
        }

        private async Task RunAsync(Task previous, Completion completion, Func<CancellationToken, Task<TResult>> send, bool offload)
        {
            bool holdsSlot = false;
            try
            {
                if (previous != null) await previous.ConfigureAwait(false);
                await _slots.WaitAsync().ConfigureAwait(false);
                holdsSlot = true;
                // Not offloaded, the send starts on the thread that got the slot: the consumer's, or the one that
                // released it on finishing the send before. For a small request, a hop to a pool thread costs more
                // CPU (one more wake-up per request) than building and signing it, and gained no time, even with 16
                // in flight (measured side by side).
                completion.Result = offload
                    ? await Task.Run(() => Start(send)).ConfigureAwait(false)
                    : await Start(send).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                completion.Error = exception;
            }
            finally
            {
                _completed.Enqueue(completion);
                _arrived.Set();

                // After the failure is queued, so the consumer sees it before the cancellations it
                // causes; before the slot is released, so no queued send can take it and start first.
                if (completion.Error != null && _stopsEverything != null && _stopsEverything(completion.Error)) _stopSending.Cancel();
                if (holdsSlot) _slots.Release();
            }
        }
    }
}
