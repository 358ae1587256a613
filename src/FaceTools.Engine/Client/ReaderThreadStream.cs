#if NET8_0_OR_GREATER
using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using System.Threading.Tasks.Sources;

namespace FaceTools.Engine.Client
{
    /// <summary>
    /// A TCP connection whose asynchronous reads wait in a thread of its own, blocked in the OS, so that the answer is
    /// handled on that thread. With the socket's own asynchronous reads, each answer wakes the socket engine's thread,
    /// which hands it to a pool thread, which then spins for more work before it sleeps: with one request in flight at
    /// a time, a pool thread spins after every answer. The socket is never used asynchronously (an asynchronous
    /// operation would register it with the socket engine, which then wakes the pool for every answer that comes), so
    /// connecting and writing block until the OS has done them. One read at a time, as the Stream contract has it.
    /// </summary>
    internal sealed class ReaderThreadStream : Stream, IValueTaskSource<int>
    {
        internal const string ReaderThreadName = "FaceTools connection reader";
        private const int PollMicroseconds = 1_000_000;

        private readonly Socket _socket;
        // Synchronous reads and writes: blocking, they never register the socket with the socket engine.
        private readonly NetworkStream _blocking;
        private readonly object _gate = new object();
        // Completes on the thread that sets its result (continuations are not queued): the reader thread.
        private ManualResetValueTaskSourceCore<int> _completion;
        private Thread _reader;

        // Under _gate.
        private bool _pending;
        private Memory<byte> _pendingBuffer;
        private CancellationTokenRegistration _cancellation;
        private bool _disposed;
        private bool _canceled;

        private ReaderThreadStream(Socket socket)
        {
            _socket = socket;
            _blocking = new NetworkStream(socket, ownsSocket: true);
        }

        /// <summary>
        /// Connects as SocketsHttpHandler does by default (NoDelay, each address of the host in turn). The name is
        /// resolved asynchronously, and the connection made blocking. Canceling (the handler's connect timeout) closes
        /// the socket, which ends the wait.
        /// </summary>
        public static async ValueTask<Stream> ConnectAsync(string host, int port, CancellationToken cancellationToken)
        {
            IPAddress[] addresses = IPAddress.TryParse(host, out IPAddress literal)
                ? new[] { literal }
                : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                using (cancellationToken.UnsafeRegister(state => ((Socket)state).Dispose(), socket))
                    socket.Connect(addresses, port);
                cancellationToken.ThrowIfCancellationRequested();
                return new ReaderThreadStream(socket);
            }
            catch (Exception e) when (cancellationToken.IsCancellationRequested && !(e is OperationCanceledException))
            {
                socket.Dispose();
                throw new OperationCanceledException(cancellationToken);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        /// <summary>Whether the reader thread is running, for tests.</summary>
        internal bool ReaderRunning => _reader?.IsAlive == true;

        public override bool CanRead => true;
        public override bool CanWrite => true;
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Flush() { }
        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            lock (_gate) ThrowIfUnusable();
            _blocking.Write(buffer);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled(cancellationToken);
            try
            {
                // A send blocked on a full buffer ends when the socket is shut down.
                using (cancellationToken.UnsafeRegister(state => ((ReaderThreadStream)state).Shutdown(), this))
                    Write(buffer.Span);
                return cancellationToken.IsCancellationRequested ? ValueTask.FromCanceled(cancellationToken) : default;
            }
            catch (Exception e) when (e is IOException || e is ObjectDisposedException)
            {
                return ValueTask.FromException(cancellationToken.IsCancellationRequested ? new OperationCanceledException(cancellationToken) : e);
            }
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        // Blocking, on the calling thread: a synchronous read may come from a continuation on the reader thread itself.
        public override int Read(Span<byte> buffer)
        {
            lock (_gate) ThrowIfUnreadable();
            return _blocking.Read(buffer);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled<int>(cancellationToken);
            short version;
            lock (_gate)
            {
                ThrowIfUnreadable();

                // The rest of an answer that has come already is read here and now (a zero-byte read just says it is there).
                if (Available() > 0)
                {
                    int count = Receive(buffer.Span, out Exception error);
                    return error == null ? new ValueTask<int>(count) : ValueTask.FromException<int>(error);
                }

                _completion.Reset();
                version = _completion.Version;
                _pendingBuffer = buffer;
                _pending = true;
                if (_reader == null)
                {
                    // UnsafeStart: the thread serves every later read of the connection, so it takes on no caller's context.
                    _reader = new Thread(ReadLoop) { IsBackground = true, Name = ReaderThreadName };
                    _reader.UnsafeStart();
                }
                else
                {
                    Monitor.Pulse(_gate);
                }
            }

            if (cancellationToken.CanBeCanceled)
            {
                CancellationTokenRegistration registration = cancellationToken.UnsafeRegister((state, token) => ((ReaderThreadStream)state).Cancel(version, token), this);
                bool kept;
                lock (_gate)
                {
                    kept = _pending && _completion.Version == version;
                    if (kept) _cancellation = registration;
                }

                // Outside the lock: disposing waits for a cancellation callback under way, which takes the lock.
                if (!kept) registration.Dispose();
            }

            return new ValueTask<int>(this, version);
        }

        private void ReadLoop()
        {
            while (true)
            {
                lock (_gate)
                {
                    while (!_pending && !_disposed) Monitor.Wait(_gate);
                    if (!_pending) return;
                }

                // Waits, outside the lock, until data or the end of the stream is there. The wait is cut into seconds, so
                // a disposal or a cancellation ends it even where shutting the socket down would not wake the poll.
                bool readable = false;
                Exception error = null;
                try
                {
                    while (!(readable = _socket.Poll(PollMicroseconds, SelectMode.SelectRead)))
                        lock (_gate)
                            if (_disposed || !_pending) break;
                }
                catch (Exception e) when (e is SocketException || e is ObjectDisposedException)
                {
                    error = e;
                }

                int count = 0;
                CancellationTokenRegistration cancellation;
                lock (_gate)
                {
                    // Canceled meanwhile: nothing is read into the caller's memory, and the connection is closing.
                    if (!_pending) continue;
                    // Disposed meanwhile: the shutdown that woke the thread reads as an end of stream, which it is not.
                    if (_disposed) error = new ObjectDisposedException(nameof(ReaderThreadStream));
                    // Under the lock, so a cancellation cannot come between; readable, so the receive does not wait.
                    else if (error == null && readable) count = Receive(_pendingBuffer.Span, out error);
                    _pending = false;
                    _pendingBuffer = default;
                    cancellation = _cancellation;
                    _cancellation = default;
                }

                cancellation.Dispose();
                // Outside the lock: the caller's continuation runs now, on this thread, and may read again.
                if (error != null) _completion.SetException(AsReadFailure(error));
                else _completion.SetResult(count);
            }
        }

        // What is there, without waiting; a zero-byte read takes nothing. Failures come back as a stream's are.
        private int Receive(Span<byte> buffer, out Exception error)
        {
            error = null;
            if (buffer.IsEmpty) return 0;
            try
            {
                return _socket.Receive(buffer);
            }
            catch (Exception e) when (e is SocketException || e is ObjectDisposedException)
            {
                error = AsReadFailure(e);
                return 0;
            }
        }

        private void Cancel(short version, CancellationToken token)
        {
            lock (_gate)
            {
                if (!_pending || _completion.Version != version) return;
                _pending = false;
                _pendingBuffer = default;
                _cancellation = default;
                // The reader thread still waits in the OS and the exchange is out of step: as with a canceled socket
                // read, the connection is not used again.
                _canceled = true;
            }

            _completion.SetException(new OperationCanceledException(token));
            Shutdown();
        }

        // A connection reset shows here as an error; the receive that follows reports it.
        private int Available()
        {
            try
            {
                return _socket.Available;
            }
            catch (SocketException)
            {
                return 0;
            }
        }

        // As NetworkStream reports them: an IOException, which HttpClient takes for a failed connection.
        private static Exception AsReadFailure(Exception e) =>
            e is IOException ? e : new IOException("Unable to read data from the transport connection: " + e.Message, e);

        private void ThrowIfUnusable()
        {
            if (_disposed) throw new ObjectDisposedException(nameof(ReaderThreadStream));
            if (_canceled) throw new IOException("The connection was closed when a read on it was canceled.");
        }

        private void ThrowIfUnreadable()
        {
            ThrowIfUnusable();
            if (_pending) throw new InvalidOperationException("The connection is already being read.");
        }

        // Wakes whatever waits on the socket in the OS: the reader thread's poll, a blocked send.
        private void Shutdown()
        {
            try
            {
                _socket.Shutdown(SocketShutdown.Both);
            }
            catch (Exception e) when (e is SocketException || e is ObjectDisposedException)
            {
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                lock (_gate)
                {
                    if (_disposed) return;
                    _disposed = true;
                    Monitor.PulseAll(_gate);
                }

                Shutdown();
                _blocking.Dispose();
            }

            base.Dispose(disposing);
        }

        int IValueTaskSource<int>.GetResult(short token) => _completion.GetResult(token);
        ValueTaskSourceStatus IValueTaskSource<int>.GetStatus(short token) => _completion.GetStatus(token);
        void IValueTaskSource<int>.OnCompleted(Action<object> continuation, object state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _completion.OnCompleted(continuation, state, token, flags);
    }
}
#endif
