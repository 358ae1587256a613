namespace FaceTools.Emulator;

/// <summary>
/// The settings that can change at run time (<c>POST /_emulator/config</c>) and the emulator's clock.
/// Reset restores the command-line values.
/// </summary>
public sealed class EmulatorSettings(EmulatorOptions defaults)
{
    private volatile int _latencyMs = defaults.LatencyMs;
    private volatile int _clockSkewSeconds = defaults.ClockSkewSeconds;

    public int LatencyMs { get => _latencyMs; set => _latencyMs = value; }
    public int ClockSkewSeconds { get => _clockSkewSeconds; set => _clockSkewSeconds = value; }

    /// <summary>The emulator's clock: real UTC plus the configured skew. Signature checks and the Date header use it.</summary>
    public DateTimeOffset Now => DateTimeOffset.UtcNow.AddSeconds(_clockSkewSeconds);

    public void Reset()
    {
        LatencyMs = defaults.LatencyMs;
        ClockSkewSeconds = defaults.ClockSkewSeconds;
    }
}
