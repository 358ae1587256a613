using System.Collections.Concurrent;
using FaceTools.Engine.Batching;

namespace FaceTools.Tests;

/// <summary>
/// Fake sends gated by TaskCompletionSources: each send records that it started, counts itself as
/// running (overall and per key), and finishes only when the test releases it. No sleeps, no timing.
/// </summary>
internal sealed class SendProbe
{
    /// <summary>Only guards against a hang; no assertion depends on it.</summary>
    public static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(20);

    private readonly ConcurrentDictionary<int, TaskCompletionSource<bool>> _started = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<int>> _gates = new();
    private readonly ConcurrentDictionary<string, int> _runningPerKey = new();
    private int _running, _maxRunning, _maxRunningPerKey;

    public ConcurrentQueue<int> StartOrder { get; } = new();
    public ConcurrentDictionary<int, CancellationToken> TokensSeen { get; } = new();
    public bool ObserveCancellation { get; set; }

    public int Running => Volatile.Read(ref _running);
    public int MaxRunning => Volatile.Read(ref _maxRunning);
    public int MaxRunningPerKey => Volatile.Read(ref _maxRunningPerKey);

    private TaskCompletionSource<bool> StartedSource(int id) =>
        _started.GetOrAdd(id, _ => new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));

    private TaskCompletionSource<int> Gate(int id) =>
        _gates.GetOrAdd(id, _ => new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously));

    public bool HasStarted(int id) => _started.TryGetValue(id, out var s) && s.Task.IsCompleted;

    public void WaitStarted(params int[] ids)
    {
        foreach (int id in ids)
            Assert.True(StartedSource(id).Task.Wait(HangGuard), $"send {id} never started");
    }

    public void Release(int id, int result) => Gate(id).TrySetResult(result);

    public void Fail(int id, Exception error) => Gate(id).TrySetException(error);

    public Func<CancellationToken, Task<int>> SendFor(string key, int id) => async token =>
    {
        TokensSeen[id] = token;
        int now = Interlocked.Increment(ref _running);
        RaiseMax(ref _maxRunning, now);
        int forKey = _runningPerKey.AddOrUpdate(key, 1, (_, n) => n + 1);
        RaiseMax(ref _maxRunningPerKey, forKey);
        StartOrder.Enqueue(id);
        StartedSource(id).TrySetResult(true);
        try
        {
            Task<int> gate = Gate(id).Task;
            return ObserveCancellation ? await gate.WaitAsync(token) : await gate;
        }
        finally
        {
            _runningPerKey.AddOrUpdate(key, 0, (_, n) => n - 1);
            Interlocked.Decrement(ref _running);
        }
    };

    private static void RaiseMax(ref int max, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref max)) && Interlocked.CompareExchange(ref max, value, seen) != seen)
        {
        }
    }
}

public class BatchDispatcherTests
{
    private static List<BatchDispatcher<int, int>.Completion> Drain(BatchDispatcher<int, int> dispatcher)
    {
        var all = new List<BatchDispatcher<int, int>.Completion>();
        var drain = Task.Run(() =>
        {
            while (dispatcher.Outstanding > 0) all.AddRange(dispatcher.WaitAny());
        });
        Assert.True(drain.Wait(SendProbe.HangGuard), "the dispatcher never finished");
        return all;
    }

    [Fact]
    public void Constructor_RejectsThrottleLimitBelowOne()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchDispatcher<int, int>(0, CancellationToken.None));
        Assert.Equal(5, new BatchDispatcher<int, int>(5, CancellationToken.None).ThrottleLimit);
    }

    [Fact]
    public void NeverMoreThanThrottleLimitSendsAtOnce()
    {
        const int limit = 3, count = 12;
        var probe = new SendProbe();
        var dispatcher = new BatchDispatcher<int, int>(limit, CancellationToken.None);
        for (int i = 0; i < count; i++) dispatcher.Submit("key" + i, i, probe.SendFor("key" + i, i));

        probe.WaitStarted(0, 1, 2);
        Assert.Equal(limit, probe.Running);
        Assert.False(probe.HasStarted(3));
        Assert.Equal(count, dispatcher.Outstanding);

        // Each release lets exactly one more in.
        for (int i = 0; i < count; i++)
        {
            probe.Release(i, i * 10);
            if (i + limit < count) probe.WaitStarted(i + limit);
            Assert.True(probe.Running <= limit);
        }

        var completions = Drain(dispatcher);
        Assert.Equal(count, completions.Count);
        Assert.Equal(limit, probe.MaxRunning);
        Assert.All(completions, c => Assert.Null(c.Error));
        Assert.Equal(Enumerable.Range(0, count).Select(i => i * 10), completions.OrderBy(c => c.State).Select(c => c.Result));
        Assert.Equal(0, dispatcher.Outstanding);
    }

    [Fact]
    public void ThrottleLimitOfOne_RunsSendsOneAtATime()
    {
        var probe = new SendProbe();
        var dispatcher = new BatchDispatcher<int, int>(1, CancellationToken.None);
        for (int i = 0; i < 5; i++) dispatcher.Submit("k" + i, i, probe.SendFor("k" + i, i));
        for (int i = 0; i < 5; i++)
        {
            probe.WaitStarted(i);
            Assert.False(probe.HasStarted(i + 1));
            probe.Release(i, i);
        }

        Assert.Equal(5, Drain(dispatcher).Count);
        Assert.Equal(1, probe.MaxRunning);
    }

    [Fact]
    public void SameKey_NeverOverlaps_AndRunsInSubmissionOrder()
    {
        const int count = 6;
        var probe = new SendProbe();
        var dispatcher = new BatchDispatcher<int, int>(4, CancellationToken.None);
        for (int i = 0; i < count; i++) dispatcher.Submit("coll\nuser", i, probe.SendFor("coll\nuser", i));

        for (int i = 0; i < count; i++)
        {
            probe.WaitStarted(i);
            Assert.Equal(1, probe.Running);
            Assert.False(probe.HasStarted(i + 1));
            probe.Release(i, i);
        }

        Assert.Equal(count, Drain(dispatcher).Count);
        Assert.Equal(Enumerable.Range(0, count), probe.StartOrder);
        Assert.Equal(1, probe.MaxRunningPerKey);
    }

    [Fact]
    public void TakenCompletions_AreForgotten_SoMemoryDoesNotGrowWithTheNumberOfKeys()
    {
        const int keys = 200;
        var probe = new SendProbe();
        var dispatcher = new BatchDispatcher<int, int>(4, CancellationToken.None);
        for (int i = 0; i < keys; i++)
        {
            dispatcher.Submit("user" + i, i, probe.SendFor("user" + i, i));
            probe.Release(i, i);
        }

        Assert.Equal(keys, dispatcher.TrackedKeys);
        Assert.Equal(keys, Drain(dispatcher).Count);
        Assert.Equal(0, dispatcher.TrackedKeys);

        // A key seen before starts afresh, and its sends still never overlap.
        dispatcher.Submit("user0", 1000, probe.SendFor("user0", 1000));
        dispatcher.Submit("user0", 1001, probe.SendFor("user0", 1001));
        probe.WaitStarted(1000);
        Assert.False(probe.HasStarted(1001));
        probe.Release(1000, 0);
        probe.WaitStarted(1001);
        probe.Release(1001, 0);
        Assert.Equal(2, Drain(dispatcher).Count);
        Assert.Equal(1, probe.MaxRunningPerKey);
        Assert.Equal(0, dispatcher.TrackedKeys);
    }

    [Fact]
    public void SameKey_WaitsEvenWhenTheEarlierSendIsQueuedForASlot()
    {
        // Limit 1: "a" holds the slot; "b0" then "b1" queue. b1 must not overtake b0.
        var probe = new SendProbe();
        var dispatcher = new BatchDispatcher<int, int>(1, CancellationToken.None);
        dispatcher.Submit("a", 0, probe.SendFor("a", 0));
        dispatcher.Submit("b", 1, probe.SendFor("b", 1));
        dispatcher.Submit("b", 2, probe.SendFor("b", 2));
        probe.WaitStarted(0);
        probe.Release(0, 0);
        probe.WaitStarted(1);
        Assert.False(probe.HasStarted(2));
        probe.Release(1, 1);
        probe.WaitStarted(2);
        probe.Release(2, 2);
        Drain(dispatcher);
        Assert.Equal(new[] { 0, 1, 2 }, probe.StartOrder);
    }

    [Fact]
    public void DifferentKeys_Overlap_WhenTheLimitAllows()
    {
        var probe = new SendProbe();
        var dispatcher = new BatchDispatcher<int, int>(2, CancellationToken.None);
        dispatcher.Submit("alice", 0, probe.SendFor("alice", 0));
        dispatcher.Submit("alice", 1, probe.SendFor("alice", 1));
        dispatcher.Submit("bob", 2, probe.SendFor("bob", 2));

        // alice's first and bob's run together; alice's second waits for alice's first.
        probe.WaitStarted(0, 2);
        Assert.Equal(2, probe.Running);
        Assert.False(probe.HasStarted(1));

        probe.Release(2, 2);
        Assert.False(probe.HasStarted(1));
        probe.Release(0, 0);
        probe.WaitStarted(1);
        probe.Release(1, 1);

        Assert.Equal(3, Drain(dispatcher).Count);
        Assert.Equal(2, probe.MaxRunning);
        Assert.Equal(1, probe.MaxRunningPerKey);
    }

    [Fact]
    public void ExceptionInASend_ComesBackAsError_AndDoesNotStopOthers()
    {
        var probe = new SendProbe();
        var dispatcher = new BatchDispatcher<int, int>(2, CancellationToken.None);
        var boom = new InvalidOperationException("boom");
        dispatcher.Submit("a", 0, _ => throw boom); // throws before returning a task
        dispatcher.Submit("a", 1, probe.SendFor("a", 1)); // same key as the failed one
        dispatcher.Submit("b", 2, probe.SendFor("b", 2));
        dispatcher.Submit("c", 3, _ => Task.FromException<int>(new IOException("faulted")));

        probe.WaitStarted(1, 2);
        probe.Fail(1, new TimeoutException("late"));
        probe.Release(2, 42);

        var byState = Drain(dispatcher).ToDictionary(c => c.State);
        Assert.Equal(4, byState.Count);
        Assert.Same(boom, byState[0].Error);
        Assert.IsType<TimeoutException>(byState[1].Error);
        Assert.Null(byState[2].Error);
        Assert.Equal(42, byState[2].Result);
        Assert.IsType<IOException>(byState[3].Error);
        Assert.Equal(0, dispatcher.Outstanding);
    }

    [Fact]
    public void FailedSends_ReleaseTheirSlots()
    {
        var dispatcher = new BatchDispatcher<int, int>(1, CancellationToken.None);
        for (int i = 0; i < 5; i++) dispatcher.Submit("k" + i, i, _ => throw new InvalidOperationException());
        var probe = new SendProbe();
        dispatcher.Submit("last", 5, probe.SendFor("last", 5));
        probe.WaitStarted(5);
        probe.Release(5, 5);
        var completions = Drain(dispatcher);
        Assert.Equal(6, completions.Count);
        Assert.Equal(5, completions.Count(c => c.Error != null));
    }

    [Fact]
    public void WaitAny_ReturnsEmpty_WhenNothingIsOutstanding()
    {
        var dispatcher = new BatchDispatcher<int, int>(2, CancellationToken.None);
        Assert.Empty(dispatcher.WaitAny());
        Assert.Empty(dispatcher.TakeCompleted());

        dispatcher.Submit("k", 1, _ => Task.FromResult(7));
        var first = Drain(dispatcher);
        Assert.Equal(7, Assert.Single(first).Result);
        Assert.Empty(dispatcher.WaitAny());
    }

    [Fact]
    public void TakeCompleted_DoesNotWait_AndOutstandingCountsUntilTaken()
    {
        var probe = new SendProbe();
        var dispatcher = new BatchDispatcher<int, int>(2, CancellationToken.None);
        dispatcher.Submit("done", 0, probe.SendFor("done", 0));
        dispatcher.Submit("open", 1, probe.SendFor("open", 1));
        probe.WaitStarted(0, 1);

        // Nothing has finished: it returns at once, with nothing.
        Assert.Empty(dispatcher.TakeCompleted());
        Assert.Equal(2, dispatcher.Outstanding);

        probe.Release(0, 1);
        IReadOnlyList<BatchDispatcher<int, int>.Completion> taken = null;
        Assert.True(SpinWait.SpinUntil(() => (taken = dispatcher.TakeCompleted()).Count > 0, SendProbe.HangGuard));
        Assert.Equal(0, Assert.Single(taken).State);
        Assert.Equal(1, dispatcher.Outstanding);
        Assert.Empty(dispatcher.TakeCompleted());

        probe.Release(1, 2);
        Assert.Equal(1, Assert.Single(Drain(dispatcher)).State);
        Assert.Equal(0, dispatcher.Outstanding);
    }

    [Fact]
    public void SendsReceiveATokenCanceledWithTheDispatchersToken()
    {
        using var cts = new CancellationTokenSource();
        var probe = new SendProbe();
        var dispatcher = new BatchDispatcher<int, int>(1, cts.Token);
        dispatcher.Submit("k", 0, probe.SendFor("k", 0));
        probe.WaitStarted(0);
        Assert.False(probe.TokensSeen[0].IsCancellationRequested);
        cts.Cancel();
        Assert.True(probe.TokensSeen[0].IsCancellationRequested);
        probe.Release(0, 0);
        dispatcher.TakeCompleted();
    }

    [Fact]
    public void AFailureThatStopsEverything_KeepsQueuedSendsFromStarting()
    {
        var probe = new SendProbe();
        var dispatcher = new BatchDispatcher<int, int>(1, CancellationToken.None, e => e is InvalidOperationException);
        int started = 0;
        dispatcher.Submit("k", 0, _ => { Interlocked.Increment(ref started); return Task.FromException<int>(new InvalidOperationException("bad key")); });
        dispatcher.Submit("k", 1, _ => { Interlocked.Increment(ref started); return Task.FromResult(1); });
        dispatcher.Submit("other", 2, _ => { Interlocked.Increment(ref started); return Task.FromResult(2); });
        var completions = Drain(dispatcher);

        Assert.Equal(3, completions.Count);
        Assert.Equal(1, started);
        Assert.IsType<InvalidOperationException>(completions.Single(c => c.State == 0).Error);
        Assert.All(completions.Where(c => c.State != 0), c => Assert.IsAssignableFrom<OperationCanceledException>(c.Error));
    }

    // Ends as soon as its token is canceled, inside the cancellation's own callbacks: before the dispatcher's
    // stop has reached the sends queued for a slot, which the slot this one frees then passes to.
    private static async Task<int> EndsWhenCanceled(CancellationToken token) =>
        await new TaskCompletionSource<int>().Task.WaitAsync(token).ConfigureAwait(false);

    // On a thread of its own, without the test's synchronization context, where continuations run inline.
    private static void OnOwnThread(Action action)
    {
        var thread = new Thread(() => action());
        thread.Start();
        Assert.True(thread.Join(SendProbe.HangGuard));
    }

    [Fact]
    public void AFailureThatStopsEverything_KeepsQueuedSendsFromStarting_WhenASendEndsInsideTheStop()
    {
        var dispatcher = new BatchDispatcher<int, int>(2, CancellationToken.None, e => e is InvalidOperationException);
        var failing = new TaskCompletionSource<int>();
        int queuedStarted = 0;
        dispatcher.Submit("a", 0, EndsWhenCanceled);
        dispatcher.Submit("b", 1, _ => failing.Task);
        dispatcher.Submit("c", 2, _ => { Interlocked.Increment(ref queuedStarted); return Task.FromResult(2); });

        OnOwnThread(() => failing.SetException(new InvalidOperationException("bad credentials")));
        var completions = Drain(dispatcher);

        Assert.Equal(0, queuedStarted);
        Assert.Equal(3, completions.Count);
        Assert.IsType<InvalidOperationException>(completions.Single(c => c.State == 1).Error);
        Assert.All(completions.Where(c => c.State != 1), c => Assert.IsAssignableFrom<OperationCanceledException>(c.Error));
    }

    [Fact]
    public void Cancellation_KeepsQueuedSendsFromStarting_WhenASendEndsInsideTheCancellation()
    {
        using var cts = new CancellationTokenSource();
        var dispatcher = new BatchDispatcher<int, int>(1, cts.Token);
        int queuedStarted = 0;
        dispatcher.Submit("a", 0, EndsWhenCanceled);
        dispatcher.Submit("b", 1, _ => { Interlocked.Increment(ref queuedStarted); return Task.FromResult(1); });

        OnOwnThread(cts.Cancel);
        var completions = Drain(dispatcher);

        Assert.Equal(0, queuedStarted);
        Assert.Equal(2, completions.Count);
        Assert.All(completions, c => Assert.IsAssignableFrom<OperationCanceledException>(c.Error));
    }

    [Fact]
    public void Cancellation_CompletesOutstandingSendsWithOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        var probe = new SendProbe { ObserveCancellation = true };
        var dispatcher = new BatchDispatcher<int, int>(1, cts.Token);
        dispatcher.Submit("a", 0, probe.SendFor("a", 0)); // running
        dispatcher.Submit("b", 1, probe.SendFor("b", 1)); // waiting for a slot
        dispatcher.Submit("a", 2, probe.SendFor("a", 2)); // waiting for "a"
        probe.WaitStarted(0);

        cts.Cancel();

        var all = new List<BatchDispatcher<int, int>.Completion>();
        Assert.True(SpinWait.SpinUntil(() =>
        {
            all.AddRange(dispatcher.TakeCompleted());
            return all.Count == 3;
        }, SendProbe.HangGuard), $"only {all.Count} of 3 sends completed after cancellation");

        Assert.All(all, c => Assert.IsAssignableFrom<OperationCanceledException>(c.Error));
        Assert.False(probe.HasStarted(1));
        Assert.False(probe.HasStarted(2));
        Assert.Equal(0, dispatcher.Outstanding);
        Assert.Empty(dispatcher.WaitAny());
    }

    [Fact]
    public async Task Drain_AfterCancellation_TakesEveryCompletion_FinishedOrNot()
    {
        using var cts = new CancellationTokenSource();
        var probe = new SendProbe { ObserveCancellation = true };
        var dispatcher = new BatchDispatcher<int, int>(2, cts.Token);
        dispatcher.Submit("a", 0, probe.SendFor("a", 0)); // finishes before the stop, not yet taken
        dispatcher.Submit("b", 1, probe.SendFor("b", 1)); // running at the stop
        dispatcher.Submit("a", 2, probe.SendFor("a", 2)); // waits for "a", then for a slot
        dispatcher.Submit("c", 3, probe.SendFor("c", 3)); // takes the slot "a" frees: running at the stop
        probe.WaitStarted(0, 1);
        probe.Release(0, 10);
        probe.WaitStarted(3);

        cts.Cancel();
        IReadOnlyList<int> abandoned = null;
        // A TimeoutException here means Drain never returned.
        var drained = await Task.Run(() => dispatcher.Drain(SendProbe.HangGuard, out abandoned)).WaitAsync(SendProbe.HangGuard + SendProbe.HangGuard);

        Assert.Empty(abandoned);
        var byState = drained.ToDictionary(c => c.State);
        Assert.Equal(new[] { 0, 1, 2, 3 }, byState.Keys.OrderBy(k => k));
        Assert.Null(byState[0].Error);
        Assert.Equal(10, byState[0].Result);
        Assert.All(new[] { 1, 2, 3 }, id => Assert.IsAssignableFrom<OperationCanceledException>(byState[id].Error));
        Assert.False(probe.HasStarted(2));
        Assert.Equal(0, dispatcher.Outstanding);
        Assert.Equal(0, dispatcher.TrackedKeys);
        Assert.Empty(dispatcher.Drain(TimeSpan.Zero, out abandoned));
        Assert.Empty(abandoned);
    }

    [Fact]
    public void Drain_GivesUpOnASendThatIgnoresCancellation_AndNamesIt()
    {
        using var cts = new CancellationTokenSource();
        var probe = new SendProbe { ObserveCancellation = false };
        var dispatcher = new BatchDispatcher<int, int>(2, cts.Token);
        dispatcher.Submit("a", 0, probe.SendFor("a", 0)); // never ends
        // Ends at once, so its completion is queued before the stop; ended by another thread, it would wait for a
        // pool thread, which a busy machine may not give within Drain's patience.
        dispatcher.Submit("b", 1, _ => Task.FromResult(11));
        probe.WaitStarted(0);

        cts.Cancel();
        var completions = dispatcher.Drain(TimeSpan.FromMilliseconds(200), out IReadOnlyList<int> abandoned);

        Assert.Equal(new[] { 1 }, completions.Select(c => c.State));
        Assert.Equal(new[] { 0 }, abandoned);
        Assert.Equal(0, dispatcher.Outstanding);
        probe.Release(0, 10);
    }

    [Fact]
    public void StopStarting_QueuedSendsEndCanceled_RunningSendsEndAsUsual_WithAnUncanceledToken()
    {
        var probe = new SendProbe { ObserveCancellation = true };
        var dispatcher = new BatchDispatcher<int, int>(1, CancellationToken.None);
        dispatcher.Submit("a", 0, probe.SendFor("a", 0));
        dispatcher.Submit("b", 1, probe.SendFor("b", 1));
        dispatcher.Submit("a", 2, probe.SendFor("a", 2));
        probe.WaitStarted(0);

        dispatcher.StopStarting();
        Assert.False(probe.TokensSeen[0].IsCancellationRequested);
        probe.Release(0, 7);
        var completions = Drain(dispatcher);

        Assert.Equal(3, completions.Count);
        Assert.Equal(7, completions.Single(c => c.State == 0).Result);
        Assert.All(completions.Where(c => c.State != 0), c => Assert.IsAssignableFrom<OperationCanceledException>(c.Error));
        Assert.False(probe.HasStarted(1));
        Assert.False(probe.HasStarted(2));
    }

    [Fact]
    public void Cancellation_QueuedSendsNeverStart_ARunningSendThatIgnoresTheTokenStillFinishes()
    {
        using var cts = new CancellationTokenSource();
        var probe = new SendProbe { ObserveCancellation = false };
        var dispatcher = new BatchDispatcher<int, int>(1, cts.Token);
        dispatcher.Submit("a", 0, probe.SendFor("a", 0));
        dispatcher.Submit("b", 1, probe.SendFor("b", 1));
        probe.WaitStarted(0);

        cts.Cancel();
        var queued = new List<BatchDispatcher<int, int>.Completion>();
        Assert.True(SpinWait.SpinUntil(() =>
        {
            queued.AddRange(dispatcher.TakeCompleted());
            return queued.Count == 1;
        }, SendProbe.HangGuard));
        Assert.Equal(1, queued[0].State);
        Assert.IsAssignableFrom<OperationCanceledException>(queued[0].Error);

        probe.Release(0, 99);
        var running = new List<BatchDispatcher<int, int>.Completion>();
        Assert.True(SpinWait.SpinUntil(() =>
        {
            running.AddRange(dispatcher.TakeCompleted());
            return running.Count == 1;
        }, SendProbe.HangGuard));
        Assert.Null(running[0].Error);
        Assert.Equal(99, running[0].Result);
        Assert.False(probe.HasStarted(1));
    }

    [Fact]
    public async Task Cancellation_WaitAnyDoesNotBlockForever()
    {
        using var cts = new CancellationTokenSource();
        var probe = new SendProbe();
        var dispatcher = new BatchDispatcher<int, int>(1, cts.Token);
        dispatcher.Submit("a", 0, probe.SendFor("a", 0)); // ignores the token: never finishes on its own
        probe.WaitStarted(0);

        var waiter = Task.Run(() => dispatcher.WaitAny());
        cts.Cancel();
        // It ends, canceled; a TimeoutException here means WaitAny still blocks after cancellation.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiter.WaitAsync(SendProbe.HangGuard));
        probe.Release(0, 0);
    }

    [Fact]
    public void Sends_StartOnTheSubmittingThread_WhenASlotIsFree_AndTheNextOnTheThreadThatFinishesASend()
    {
        var dispatcher = new BatchDispatcher<int, int>(1, CancellationToken.None);
        // Completed synchronously, so the first send's end runs on the thread that completes it.
        var first = new TaskCompletionSource<int>();
        int submitter = Environment.CurrentManagedThreadId, firstSender = 0, secondSender = 0, finisher = 0;
        dispatcher.Submit("a", 1, _ => { firstSender = Environment.CurrentManagedThreadId; return first.Task; });
        dispatcher.Submit("b", 2, _ => { secondSender = Environment.CurrentManagedThreadId; return Task.FromResult(2); });

        Assert.Equal(submitter, firstSender);
        Assert.Equal(0, secondSender);
        var thread = new Thread(() =>
        {
            finisher = Environment.CurrentManagedThreadId;
            first.SetResult(1);
        });
        thread.Start();
        Assert.True(thread.Join(SendProbe.HangGuard));

        // No pool thread is woken to start it: the thread that ended the first send started the second.
        Assert.Equal(finisher, secondSender);
        var completions = Drain(dispatcher);
        Assert.Equal(new[] { 1, 2 }, completions.Select(c => c.Result).OrderBy(r => r));
    }

    [Fact]
    public async Task WaitAny_WakesForACompletionQueuedFromAnotherThread_ManyTimesOver()
    {
        // The consumer's wait resets and rechecks its signal: no completion queued around a reset is missed.
        var dispatcher = new BatchDispatcher<int, int>(2, CancellationToken.None);
        var consumer = Task.Run(() =>
        {
            for (int i = 0; i < 2000; i++)
            {
                dispatcher.Submit("k" + (i % 3), i, async _ => { await Task.Yield(); return 0; });
                if (dispatcher.Outstanding >= 4) Assert.NotEmpty(dispatcher.WaitAny());
            }

            while (dispatcher.Outstanding > 0) Assert.NotEmpty(dispatcher.WaitAny());
        });
        // A TimeoutException here means WaitAny missed a completion.
        await consumer.WaitAsync(SendProbe.HangGuard);
    }

    [Fact]
    public void Sends_StartedOnTheConsumersThread_PostNothingToItsSynchronizationContext()
    {
        // A host's context that never runs what is posted to it, as one whose thread is blocked in WaitAny.
        var context = new DroppingContext();
        SynchronizationContext previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(context);
        try
        {
            var dispatcher = new BatchDispatcher<int, int>(2, CancellationToken.None);
            dispatcher.Submit("k", 1, async _ => { await Task.Yield(); return 1; });

            Assert.Same(context, SynchronizationContext.Current);
            Assert.Equal(1, Assert.Single(Drain(dispatcher)).Result);
            Assert.Equal(0, context.Posts);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }
    }

    private sealed class DroppingContext : SynchronizationContext
    {
        public int Posts;
        public override void Post(SendOrPostCallback d, object state) => Interlocked.Increment(ref Posts);
    }
}
