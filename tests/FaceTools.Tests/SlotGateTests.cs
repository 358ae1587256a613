using FaceTools.Engine.Batching;

namespace FaceTools.Tests;

public class SlotGateTests
{
    [Fact]
    public void WaitAsync_GrantsFreeSlotsAtOnce_ThenMakesCallersWait()
    {
        var gate = new SlotGate(2);
        Assert.True(gate.WaitAsync().IsCompletedSuccessfully);
        Assert.True(gate.WaitAsync().IsCompletedSuccessfully);
        Task third = gate.WaitAsync();

        Assert.False(third.IsCompleted);
        Assert.Equal(0, gate.Free);
    }

    [Fact]
    public void Release_PassesTheSlotToTheOldestWaiter_WhoseContinuationRunsOnTheReleasingThread()
    {
        var gate = new SlotGate(1);
        Assert.True(gate.WaitAsync().IsCompletedSuccessfully);
        var resumedOn = new List<(int Waiter, int Thread)>();
        async Task Wait(int waiter)
        {
            await gate.WaitAsync().ConfigureAwait(false);
            resumedOn.Add((waiter, Environment.CurrentManagedThreadId));
        }

        Task first = Wait(1), second = Wait(2);
        int releaser = OnOwnThread(gate.Release);

        // Resumed before Release returned, on its thread; the slot went to the waiter, not to the free count.
        Assert.True(first.IsCompletedSuccessfully);
        Assert.Equal(new[] { (1, releaser) }, resumedOn);
        Assert.False(second.IsCompleted);
        Assert.Equal(0, gate.Free);

        Assert.Equal(new[] { (1, releaser), (2, OnOwnThread(gate.Release)) }, resumedOn);
        Assert.True(second.IsCompletedSuccessfully);
        gate.Release();
        Assert.Equal(1, gate.Free);
    }

    // Runs the action on a thread of its own, without the test's synchronization context (a continuation is
    // not run inline on a thread that has one), and returns that thread's ID.
    private static int OnOwnThread(Action action)
    {
        int id = 0;
        var thread = new Thread(() =>
        {
            id = Environment.CurrentManagedThreadId;
            action();
        });
        thread.Start();
        Assert.True(thread.Join(SendProbe.HangGuard));
        return id;
    }

    [Fact]
    public void Close_CancelsWaitersAndLaterCallers_AndLaterReleasesAreHarmless()
    {
        var gate = new SlotGate(1);
        Assert.True(gate.WaitAsync().IsCompletedSuccessfully);
        Task waiting = gate.WaitAsync();

        gate.Close();
        gate.Close();

        Assert.True(waiting.IsCanceled);
        Assert.True(gate.WaitAsync().IsCanceled);
        gate.Release();
        Assert.True(gate.WaitAsync().IsCanceled);
    }
}
