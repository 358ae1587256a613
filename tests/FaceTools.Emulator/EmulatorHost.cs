using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace FaceTools.Emulator;

/// <summary>
/// One running emulator: Kestrel on 127.0.0.1 with raw middleware (no MVC, no routing) for a fast start.
/// The executable uses it, and tests can host several in one process (each has its own state).
/// </summary>
public sealed class EmulatorHost : IAsyncDisposable
{
    private const long MaxBodyBytes = 64L * 1024 * 1024; // room for a >5 MB image in base64, to answer ImageTooLarge

    private readonly WebApplication _app;
    private readonly IHostApplicationLifetime _lifetime;

    private EmulatorHost(WebApplication app, Uri baseAddress)
    {
        _app = app;
        _lifetime = app.Lifetime;
        BaseAddress = baseAddress;
    }

    /// <summary>http://127.0.0.1:PORT (no trailing slash in <see cref="Url"/>).</summary>
    public Uri BaseAddress { get; }
    public string Url => BaseAddress.GetLeftPart(UriPartial.Authority);
    public int Port => BaseAddress.Port;

    public static async Task<EmulatorHost> StartAsync(EmulatorOptions options, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = "Production",
        });
        // Stdout carries exactly one line (the listening line): no logging providers at all.
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = MaxBodyBytes;
            kestrel.Listen(IPAddress.Loopback, options.Port, listen => listen.Protocols = HttpProtocols.Http1);
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(3));
        if (options.HandleProcessSignals)
            builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        else
            builder.Services.AddSingleton<IHostLifetime, InProcessLifetime>();

        var app = builder.Build();
        var settings = new EmulatorSettings(options);
        var backend = new RekognitionBackend();
        var faults = new FaultInjector();
        var log = new RequestLog();
        var api = new ApiHandler(settings, new SigV4Verifier(options.Credentials), backend, faults, log, app.Lifetime.ApplicationStopping);
        var control = new ControlRoutes(settings, backend, faults, log, () => api.InFlight, app.Lifetime.StopApplication);

        app.Run(async http =>
        {
            // Every answer carries a Date from the emulator's (possibly skewed) clock, so SDKs can correct their
            // clock skew from it. Kestrel only adds its own Date when the application has not set one.
            http.Response.Headers.Date = settings.Now.ToString("r", CultureInfo.InvariantCulture);
            try
            {
                var body = await ReadBodyAsync(http);
                if (http.Request.Path.StartsWithSegments("/_emulator"))
                    await control.HandleAsync(http, body);
                else
                    await api.HandleAsync(http, body);
            }
            catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
            {
                // The client went away; nothing to answer.
            }
            catch (Exception e) when (!http.Response.HasStarted)
            {
                Console.Error.WriteLine($"FaceTools emulator: unexpected {e.GetType().Name}: {e.Message}");
                http.Response.Clear();
                http.Response.Headers.Date = settings.Now.ToString("r", CultureInfo.InvariantCulture);
                http.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
                http.Response.Headers["x-amzn-ErrorType"] = "InternalServerError";
                http.Response.StatusCode = 500;
                http.Response.ContentType = ApiHandler.JsonContentType;
                await http.Response.WriteAsync("{\"__type\":\"InternalServerError\",\"Message\":\"The emulator failed unexpectedly.\"}");
            }
        });

        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)).Port;
        var host = new EmulatorHost(app, new Uri($"http://127.0.0.1:{port}"));
        if (options.ParentPid is int parent) host.WatchParent(parent);
        return host;
    }

    private static async Task<byte[]> ReadBodyAsync(HttpContext http)
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
        return buffer.ToArray();
    }

    /// <summary>Stops the emulator when the parent process exits (or becomes a zombie), checked 4 times a second.</summary>
    private void WatchParent(int pid)
    {
        var startStamp = ProcessStartStamp(pid);
        _ = Task.Run(async () =>
        {
            var stopping = _lifetime.ApplicationStopping;
            while (!stopping.IsCancellationRequested)
            {
                if (!IsAlive(pid, startStamp))
                {
                    _lifetime.StopApplication();
                    return;
                }
                try { await Task.Delay(250, stopping); }
                catch (OperationCanceledException) { return; }
            }
        });
    }

    public static bool IsAlive(int pid, long? startStamp = null)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            if (p.HasExited) return false;
            string[] fields = ProcStatFields(pid);
            if (startStamp != null && StartStampOf(pid, fields) is long now && now != startStamp) return false; // PID reused
            if (fields is { Length: > 0 } && fields[0] is "Z" or "X") return false;
            return true;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException)
        {
            return false;
        }
    }

    // When the process started, in a unit that stays put. On Linux, the clock ticks since boot from /proc: .NET's
    // StartTime adds them to a boot time that moves whenever the system clock is set or slewed across a second.
    private static long? ProcessStartStamp(int pid) => StartStampOf(pid, ProcStatFields(pid));

    // The same from /proc/PID/stat's fields already read (null where there is no /proc).
    private static long? StartStampOf(int pid, string[] fields)
    {
        try
        {
            if (fields is { Length: > 19 } && long.TryParse(fields[19], out long ticks)) return ticks;
            using var p = Process.GetProcessById(pid);
            return p.StartTime.ToUniversalTime().Ticks;
        }
        catch (Exception)
        {
            return null;
        }
    }

    // /proc/PID/stat from its third field (state) on, or null where there is no /proc. The second field, the
    // command name in parentheses, may hold spaces: the fields are read after its last ')'.
    private static string[] ProcStatFields(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat)) return null;
        var text = File.ReadAllText(stat);
        int close = text.LastIndexOf(')');
        return close < 0 ? null : text[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    public void RequestStop() => _lifetime.StopApplication();

    /// <summary>Completes when the host has been asked to stop (shutdown route, signal, parent exit).</summary>
    public Task WaitForShutdownAsync() => _app.WaitForShutdownAsync();

    public async ValueTask DisposeAsync()
    {
        try { await _app.StopAsync(); }
        catch (OperationCanceledException) { }
        await _app.DisposeAsync();
    }

    /// <summary>Hosted inside a test process: no Ctrl+C / SIGTERM handlers of its own.</summary>
    private sealed class InProcessLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
