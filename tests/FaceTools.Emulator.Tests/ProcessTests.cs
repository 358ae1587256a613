using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace FaceTools.Emulator.Tests;

/// <summary>The built executable as other test suites use it: readiness line, options, shutdown, parent watch.</summary>
public sealed class ProcessTests
{
    private static readonly string EmulatorDll = Path.Combine(AppContext.BaseDirectory, "FaceTools.Emulator.dll");

    // The C library's kill(2): a minimal system may lack the kill program.
    private const int SIGTERM = 15;
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    private sealed class EmulatorProcess : IDisposable
    {
        public Process Process { get; init; }
        public string FirstLine { get; init; }
        public Uri Url { get; init; }
        public Task<string> RestOfStdout { get; init; }
        public Task<string> Stderr { get; init; }

        public void Dispose()
        {
            try { if (!Process.HasExited) Process.Kill(entireProcessTree: true); }
            catch (InvalidOperationException) { }
            Process.Dispose();
        }
    }

    private static Process Launch(params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(EmulatorDll);
        foreach (var a in args) start.ArgumentList.Add(a);
        return Process.Start(start)!;
    }

    private static async Task<EmulatorProcess> StartAsync(params string[] args)
    {
        var process = Launch(args);
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.NotNull(line);
        var m = Regex.Match(line!, @"^FaceTools emulator listening on (http://127\.0\.0\.1:(\d+))$");
        Assert.True(m.Success, $"unexpected first line: {line}");
        return new EmulatorProcess
        {
            Process = process,
            FirstLine = line,
            Url = new Uri(m.Groups[1].Value),
            RestOfStdout = process.StandardOutput.ReadToEndAsync(),
            Stderr = process.StandardError.ReadToEndAsync(),
        };
    }

    [Fact]
    public async Task The_executable_prints_one_line_serves_and_stops_on_the_shutdown_route()
    {
        using var emulator = await StartAsync("--port", "0", "--parent-pid", Environment.ProcessId.ToString());
        using var http = new HttpClient();
        var client = new EmulatorClient(emulator.Url, http);

        Assert.Equal(HttpStatusCode.OK, (await client.CallAsync("ListCollections")).Status);
        Assert.Equal("ShuttingDown", (await client.ControlAsync(HttpMethod.Post, "shutdown"))["Status"]!.GetValue<string>());

        await emulator.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(0, emulator.Process.ExitCode);
        Assert.Equal("", await emulator.RestOfStdout); // exactly one line on stdout
        Assert.Equal("", await emulator.Stderr);
    }

    [Fact]
    public async Task Command_line_options_set_credentials_clock_skew_and_latency()
    {
        using var emulator = await StartAsync("--port=0", "--clock-skew-seconds", "600", "--latency-ms", "150",
            "--credentials", "AKIAOTHERKEY00000001:OtherSecret,AKIATOKENKEY00000001:TokenSecret:the-token");
        using var http = new HttpClient();
        var client = new EmulatorClient(emulator.Url, http);

        var signedNow = await client.CallAsync("ListCollections", credentials: new TestCredentials("AKIAOTHERKEY00000001", "OtherSecret"));
        Assert.Equal("InvalidSignatureException", signedNow.Code); // 10 minutes behind the emulator
        Assert.InRange((signedNow.Date!.Value - DateTimeOffset.UtcNow).TotalSeconds, 590, 610);
        Assert.True(signedNow.Elapsed >= TimeSpan.FromMilliseconds(140));

        var corrected = await client.CallAsync("ListCollections", credentials: new TestCredentials("AKIAOTHERKEY00000001", "OtherSecret"),
            signTime: DateTime.UtcNow.AddSeconds(600));
        Assert.Equal(HttpStatusCode.OK, corrected.Status);
        var withToken = await client.CallAsync("ListCollections", credentials: new TestCredentials("AKIATOKENKEY00000001", "TokenSecret", "the-token"),
            signTime: DateTime.UtcNow.AddSeconds(600));
        Assert.Equal(HttpStatusCode.OK, withToken.Status);
        var defaultKey = await client.CallAsync("ListCollections", signTime: DateTime.UtcNow.AddSeconds(600));
        Assert.Equal("UnrecognizedClientException", defaultKey.Code); // --credentials replaces the default pair

        // Reset restores the command-line values, not zero.
        await client.ConfigAsync(new JsonObject { ["ClockSkewSeconds"] = 0, ["LatencyMs"] = 0 });
        await client.ResetAsync();
        var config = await client.ControlAsync(HttpMethod.Get, "config");
        Assert.Equal(600, config["ClockSkewSeconds"]!.GetValue<int>());
        Assert.Equal(150, config["LatencyMs"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_emulator_exits_when_its_parent_process_exits()
    {
        using var parent = OperatingSystem.IsWindows()
            ? Process.Start(new ProcessStartInfo("ping", "-n 60 127.0.0.1") { RedirectStandardOutput = true, UseShellExecute = false })!
            : Process.Start(new ProcessStartInfo("sleep", "60") { UseShellExecute = false })!;
        using var emulator = await StartAsync("--port", "0", "--parent-pid", parent.Id.ToString());
        Assert.False(emulator.Process.HasExited);

        parent.Kill();
        await parent.WaitForExitAsync();
        await emulator.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(0, emulator.Process.ExitCode);
    }

    [Fact]
    public async Task SIGTERM_stops_the_emulator_cleanly()
    {
        if (OperatingSystem.IsWindows()) return; // no SIGTERM there
        using var emulator = await StartAsync("--port", "0");
        Assert.Equal(0, Kill(emulator.Process.Id, SIGTERM));
        await emulator.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(0, emulator.Process.ExitCode);
        Assert.Equal("", await emulator.Stderr);
    }

    [Theory]
    [InlineData("--bogus")]
    [InlineData("--port", "notanumber")]
    [InlineData("--credentials", "no-colon")]
    public async Task Bad_options_fail_with_a_message_on_stderr_and_nothing_on_stdout(params string[] args)
    {
        using var process = Launch(args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(2, process.ExitCode);
        Assert.Equal("", await stdout);
        Assert.NotEqual("", (await stderr).Trim());
    }

    [Fact]
    public async Task A_parent_that_is_already_gone_means_no_start()
    {
        using var gone = Process.Start(new ProcessStartInfo(OperatingSystem.IsWindows() ? "cmd" : "true") { UseShellExecute = false })!;
        await gone.WaitForExitAsync();
        var pid = gone.Id;
        gone.Dispose();
        using var process = Launch("--port", "0", "--parent-pid", pid.ToString());
        var stdout = process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(1, process.ExitCode);
        Assert.Equal("", await stdout);
    }
}
