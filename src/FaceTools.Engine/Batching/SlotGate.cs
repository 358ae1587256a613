using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace FaceTools.Engine.Batching
{
    /// <summary>
    /// A counting gate for sends. Unlike SemaphoreSlim, whose waiters resume on the thread pool, a released slot
    /// passes straight to the oldest waiter, which resumes on the releasing thread: with one send at a time the
    /// thread that finishes a send starts the next, and no pool thread is woken for it (a wake-up costs more CPU
    /// than building and signing a small request). A releasing thread with a synchronization context is the
    /// exception: .NET queues the waiter's continuation to the pool rather than run it there.
    /// </summary>
    internal sealed class SlotGate
    {
        // What every caller gets once the gate is closed.
        private static readonly Task Closed = Task.FromCanceled(new CancellationToken(true));
        private readonly object _lock = new object();
        // Waiters resume synchronously on the thread that completes them: the releasing thread, or the closing one.
        private readonly Queue<TaskCompletionSource<bool>> _waiters = new Queue<TaskCompletionSource<bool>>();
        private int _free;
        private bool _closed;

        public SlotGate(int slots) => _free = slots;

        /// <summary>Free slots, for tests.</summary>
        internal int Free
        {
            get { lock (_lock) return _free; }
        }

        /// <summary>
        /// Completes when the caller holds a slot: at once when one is free and nobody waits (first come, first
        /// served), otherwise when one is passed on. Canceled once <see cref="Close"/> has been called.
        /// </summary>
        public Task WaitAsync()
        {
            lock (_lock)
            {
                if (_closed) return Closed;
                if (_free > 0 && _waiters.Count == 0)
                {
                    _free--;
                    return Task.CompletedTask;
                }

                var waiter = new TaskCompletionSource<bool>();
                _waiters.Enqueue(waiter);
                return waiter.Task;
            }
        }

        /// <summary>Gives a slot back: to the oldest waiter, whose continuation runs before this returns, or to the free count.</summary>
        public void Release()
        {
            TaskCompletionSource<bool> next;
            lock (_lock)
            {
                if (_closed || _waiters.Count == 0)
                {
                    _free++;
                    return;
                }

                next = _waiters.Dequeue();
            }

            next.SetResult(true);
        }

        /// <summary>No slot is given from now on: every waiter, and every later caller, ends canceled.</summary>
        public void Close()
        {
            TaskCompletionSource<bool>[] waiting;
            lock (_lock)
            {
                if (_closed) return;
                _closed = true;
                waiting = _waiters.ToArray();
                _waiters.Clear();
            }

            foreach (TaskCompletionSource<bool> waiter in waiting) waiter.SetCanceled();
        }
    }
}
