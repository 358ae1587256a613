using System.Net;
using System.Net.Sockets;
using System.Text;
using FaceTools.Engine.Client;

namespace FaceTools.Tests;

/// <summary>
/// The connection stream of sequential clients against a loopback TCP peer: answers are handled on the connection's
/// reader thread, and reads end as a socket's would (data, end of stream, cancellation, disposal).
/// </summary>
public sealed class ReaderThreadStreamTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly ReaderThreadStream _stream;
    private readonly Socket _peer;

    public ReaderThreadStreamTests()
    {
        _listener.Start();
        int port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _stream = (ReaderThreadStream)ReaderThreadStream.ConnectAsync("127.0.0.1", port, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        _peer = _listener.AcceptSocket();
    }

    public void Dispose()
    {
        _stream.Dispose();
        _peer.Dispose();
        _listener.Stop();
    }

    private void Send(string text) => _peer.Send(Encoding.ASCII.GetBytes(text));

    // The read's end, and the thread it ended on: a synchronous continuation runs on the thread that completes the read.
    private static (Task<int> Ended, Task<string> Thread) Watch(ValueTask<int> read)
    {
        Task<int> ended = read.AsTask();
        return (ended, ended.ContinueWith(_ => System.Threading.Thread.CurrentThread.Name, TaskContinuationOptions.ExecuteSynchronously));
    }

    [Fact]
    public async Task AReadThatWaits_EndsOnTheReaderThread_WithWhatCame()
    {
        var buffer = new byte[64];
        ValueTask<int> read = _stream.ReadAsync(buffer);
        Assert.False(read.IsCompleted);
        var (ended, thread) = Watch(read);

        Send("answer");

        int count = await ended.WaitAsync(Patience);
        Assert.Equal("answer", Encoding.ASCII.GetString(buffer, 0, count));
        Assert.Equal(ReaderThreadStream.ReaderThreadName, await thread);
    }

    [Fact]
    public async Task AZeroByteRead_WaitsForData_WithoutTakingIt_AndTheDataThenReadsAtOnce()
    {
        ValueTask<int> probe = _stream.ReadAsync(Memory<byte>.Empty);
        Assert.False(probe.IsCompleted);

        Send("waiting");
        Assert.Equal(0, await probe.AsTask().WaitAsync(Patience));

        var buffer = new byte[64];
        ValueTask<int> read = _stream.ReadAsync(buffer);
        Assert.True(read.IsCompletedSuccessfully, "data that has come is read on the calling thread, at once");
        Assert.Equal("waiting", Encoding.ASCII.GetString(buffer, 0, await read));
    }

    [Fact]
    public async Task TheEndOfTheStream_ReadsAsZero()
    {
        ValueTask<int> read = _stream.ReadAsync(new byte[16]);
        _peer.Shutdown(SocketShutdown.Send);
        Assert.Equal(0, await read.AsTask().WaitAsync(Patience));
    }

    [Fact]
    public async Task ACanceledRead_EndsCanceled_AndTheConnectionIsNotReadAgain()
    {
        using var cancel = new CancellationTokenSource();
        ValueTask<int> read = _stream.ReadAsync(new byte[16], cancel.Token);
        Assert.False(read.IsCompleted);

        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read.AsTask().WaitAsync(Patience));
        await Assert.ThrowsAsync<IOException>(() => _stream.ReadAsync(new byte[16]).AsTask());
    }

    [Fact]
    public async Task Disposing_EndsAReadThatWaits_AndTheReaderThread()
    {
        ValueTask<int> read = _stream.ReadAsync(new byte[16]);
        Assert.True(_stream.ReaderRunning);

        _stream.Dispose();

        Exception failure = await Record.ExceptionAsync(() => read.AsTask().WaitAsync(Patience));
        Assert.True(failure is ObjectDisposedException || failure is IOException, $"unexpected: {failure}");
        Assert.True(SpinWait.SpinUntil(() => !_stream.ReaderRunning, Patience), "the reader thread did not end");
    }

    [Fact]
    public async Task ASynchronousReadOnTheReaderThread_WaitsForTheDataItself()
    {
        // An answer's body is read synchronously from the continuation of the read that brought its start.
        var first = new byte[1];
        var rest = new byte[16];
        string thread = null;
        var reading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<int> restRead = _stream.ReadAsync(first).AsTask().ContinueWith(_ =>
        {
            thread = System.Threading.Thread.CurrentThread.Name;
            reading.SetResult();
            return _stream.Read(rest, 0, rest.Length);
        }, TaskContinuationOptions.ExecuteSynchronously);

        Send("a");
        await reading.Task.WaitAsync(Patience);
        await Task.Delay(300);
        Assert.False(restRead.IsCompleted);
        Send("bc");

        Assert.Equal("bc", Encoding.ASCII.GetString(rest, 0, await restRead.WaitAsync(Patience)));
        Assert.Equal(ReaderThreadStream.ReaderThreadName, thread);
    }

    [Fact]
    public async Task Writes_SendEveryByte_InOrder()
    {
        var data = new byte[4 * 1024 * 1024];
        new Random(7).NextBytes(data);
        var received = new MemoryStream();
        var reading = Task.Run(() =>
        {
            var chunk = new byte[64 * 1024];
            while (received.Length < data.Length)
            {
                int count = _peer.Receive(chunk);
                if (count == 0) break;
                received.Write(chunk, 0, count);
            }
        });

        await _stream.WriteAsync(data);

        await reading.WaitAsync(Patience);
        Assert.Equal(data, received.ToArray());
    }

    [Fact]
    public async Task Connecting_WithACanceledToken_EndsCanceled()
    {
        int port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ReaderThreadStream.ConnectAsync("127.0.0.1", port, new CancellationToken(true)).AsTask());
    }

    [Fact]
    public async Task Connecting_ByName_ResolvesIt()
    {
        int port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        using Stream stream = await ReaderThreadStream.ConnectAsync("localhost", port, CancellationToken.None);
        using Socket peer = await _listener.AcceptSocketAsync().WaitAsync(Patience);
        await stream.WriteAsync(Encoding.ASCII.GetBytes("hi"));
        var buffer = new byte[2];
        Assert.Equal(2, peer.Receive(buffer));
        Assert.Equal("hi", Encoding.ASCII.GetString(buffer));
    }
}
