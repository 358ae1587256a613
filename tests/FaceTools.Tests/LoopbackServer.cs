using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace FaceTools.Tests;

/// <summary>A request as the loopback server received it.</summary>
public sealed class ReceivedRequest
{
    public string Method { get; init; }
    public string Path { get; init; }
    public Dictionary<string, string> Headers { get; init; }
    public byte[] Body { get; init; }
    public string BodyText => Encoding.UTF8.GetString(Body);
}

/// <summary>A canned answer.</summary>
public sealed class CannedResponse
{
    public int Status { get; init; } = 200;
    public string ContentType { get; init; } = "application/x-amz-json-1.1";
    public string Body { get; init; } = "{}";
    public Dictionary<string, string> Headers { get; init; } = new();
    /// <summary>Sent in chunks, without a Content-Length.</summary>
    public bool Chunked { get; init; }
}

/// <summary>
/// An HTTP server on 127.0.0.1 that records each request and answers with the handler's canned
/// response. It listens only on the loopback interface and stops on Dispose.
/// </summary>
public sealed class LoopbackServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<ReceivedRequest, CannedResponse> _handler;
    private readonly Task _loop;

    public LoopbackServer(Func<ReceivedRequest, CannedResponse> handler)
    {
        _handler = handler;
        int port = FreePort();
        Url = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(Url + "/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public string Url { get; }
    public ConcurrentQueue<ReceivedRequest> Requests { get; } = new();

    public static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception) when (!_listener.IsListening)
            {
                return;
            }
            catch (HttpListenerException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            try
            {
                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body).ConfigureAwait(false);
                var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                foreach (string name in context.Request.Headers.AllKeys)
                    if (name != null) headers[name] = context.Request.Headers[name];
                var request = new ReceivedRequest
                {
                    Method = context.Request.HttpMethod,
                    Path = context.Request.Url?.AbsolutePath,
                    Headers = headers,
                    Body = body.ToArray(),
                };
                Requests.Enqueue(request);

                CannedResponse answer = _handler(request);
                byte[] bytes = Encoding.UTF8.GetBytes(answer.Body ?? "");
                context.Response.StatusCode = answer.Status;
                if (answer.ContentType != null) context.Response.ContentType = answer.ContentType;
                foreach (var header in answer.Headers) context.Response.Headers[header.Key] = header.Value;
                if (answer.Chunked) context.Response.SendChunked = true;
                else context.Response.ContentLength64 = bytes.Length;
                await context.Response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
                context.Response.Close();
            }
            catch (Exception)
            {
                try { context.Response.Abort(); } catch (Exception) { }
            }
        }
    }

    public void Dispose()
    {
        try { _listener.Stop(); } catch (Exception) { }
        try { _listener.Close(); } catch (Exception) { }
        try { _loop.Wait(TimeSpan.FromSeconds(5)); } catch (Exception) { }
    }
}
