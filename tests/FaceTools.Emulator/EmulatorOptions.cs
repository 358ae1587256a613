using System.Globalization;

namespace FaceTools.Emulator;

/// <summary>One access key the emulator accepts; a session token, when set, must come with every request.</summary>
public sealed record EmulatorCredential(string AccessKeyId, string SecretAccessKey, string SessionToken = null);

/// <summary>Thrown for a bad command line; the message is printed to stderr.</summary>
public sealed class EmulatorOptionsException(string message) : Exception(message);

/// <summary>The command-line options. They are also the defaults that <c>POST /_emulator/reset</c> restores.</summary>
public sealed class EmulatorOptions
{
    public const string DefaultAccessKeyId = "AKIAFACETOOLSEMULATOR";
    public const string DefaultSecretAccessKey = "FaceToolsEmulatorSecretKey0000000000000000";

    /// <summary>0 picks a free port. The emulator always binds 127.0.0.1 only.</summary>
    public int Port { get; set; }

    /// <summary>Simulated service latency added to every API request.</summary>
    public int LatencyMs { get; set; }

    /// <summary>The emulator's clock is real UTC plus this many seconds.</summary>
    public int ClockSkewSeconds { get; set; }

    public IReadOnlyList<EmulatorCredential> Credentials { get; set; } =
        [new EmulatorCredential(DefaultAccessKeyId, DefaultSecretAccessKey)];

    /// <summary>Exit when this process exits, so a crashed test run leaves no orphan emulator.</summary>
    public int? ParentPid { get; set; }

    /// <summary>Let Ctrl+C / SIGTERM stop the host (the executable); off when hosted inside a test process.</summary>
    public bool HandleProcessSignals { get; set; } = true;

    public const string Usage =
        "usage: FaceTools.Emulator [--port N] [--latency-ms N] [--clock-skew-seconds N] " +
        "[--credentials AKID:SECRET[:SESSIONTOKEN][,...]] [--parent-pid N]";

    public static EmulatorOptions Parse(IReadOnlyList<string> args)
    {
        var options = new EmulatorOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string value = null;
            var eq = name.IndexOf('=');
            if (name.StartsWith("--", StringComparison.Ordinal) && eq > 0)
            {
                value = name[(eq + 1)..];
                name = name[..eq];
            }

            string Next()
            {
                if (value != null) return value;
                if (i + 1 >= args.Count) throw new EmulatorOptionsException($"option {name} needs a value. {Usage}");
                return args[++i];
            }

            switch (name)
            {
                case "--port":
                    options.Port = ParseInt(name, Next(), 0, 65535);
                    break;
                case "--latency-ms":
                    options.LatencyMs = ParseInt(name, Next(), 0, 600_000);
                    break;
                case "--clock-skew-seconds":
                    options.ClockSkewSeconds = ParseInt(name, Next(), -10 * 365 * 86400, 10 * 365 * 86400);
                    break;
                case "--credentials":
                    options.Credentials = ParseCredentials(Next());
                    break;
                case "--parent-pid":
                    options.ParentPid = ParseInt(name, Next(), 1, int.MaxValue);
                    break;
                case "--help":
                case "-h":
                    throw new EmulatorOptionsException(Usage);
                default:
                    throw new EmulatorOptionsException($"unknown option '{name}'. {Usage}");
            }
        }
        return options;
    }

    public static IReadOnlyList<EmulatorCredential> ParseCredentials(string text)
    {
        var list = new List<EmulatorCredential>();
        foreach (var item in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // Split on the first two colons only: a session token may itself contain ':'.
            var parts = item.Split(':', 3);
            if (parts.Length < 2 || parts[0].Length == 0 || parts[1].Length == 0)
                throw new EmulatorOptionsException("--credentials takes AKID:SECRET[:SESSIONTOKEN][,...]");
            list.Add(new EmulatorCredential(parts[0], parts[1], parts.Length == 3 && parts[2].Length > 0 ? parts[2] : null));
        }
        if (list.Count == 0) throw new EmulatorOptionsException("--credentials needs at least one AKID:SECRET pair");
        return list;
    }

    private static int ParseInt(string name, string text, int min, int max)
    {
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) || n < min || n > max)
            throw new EmulatorOptionsException($"option {name} takes an integer from {min} to {max}, not '{text}'");
        return n;
    }
}
