namespace FaceTools.Emulator;

/// <summary>
/// Entry point: <c>dotnet FaceTools.Emulator.dll [--port N] [--latency-ms N] [--clock-skew-seconds N]
/// [--credentials AKID:SECRET[:TOKEN][,...]] [--parent-pid N]</c>. Prints one line when ready, then serves until
/// SIGTERM / Ctrl+C, <c>POST /_emulator/shutdown</c> or the parent's exit.
/// </summary>
public static class EmulatorProgram
{
    public const string ListeningLinePrefix = "FaceTools emulator listening on ";

    public static async Task<int> Main(string[] args)
    {
        EmulatorOptions options;
        try
        {
            options = EmulatorOptions.Parse(args);
        }
        catch (EmulatorOptionsException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }

        if (options.ParentPid is int parent && !EmulatorHost.IsAlive(parent))
        {
            await Console.Error.WriteLineAsync($"FaceTools emulator: parent process {parent} is not running; exiting.");
            return 1;
        }

        EmulatorHost host;
        try
        {
            host = await EmulatorHost.StartAsync(options);
        }
        catch (Exception e)
        {
            await Console.Error.WriteLineAsync($"FaceTools emulator: cannot start: {e.Message}");
            return 1;
        }

        await using (host)
        {
            // The readiness signal: exactly one line on stdout, flushed at once.
            Console.Out.WriteLine(ListeningLinePrefix + host.Url);
            Console.Out.Flush();
            await host.WaitForShutdownAsync();
        }
        return 0;
    }
}
