using System.Reflection;
using Amazon.Runtime;
using FaceTools.Engine.Client;
using FaceTools.Engine.Operations;

namespace FaceTools.Tests;

/// <summary>
/// Tests that change process environment variables, or build clients (whose configuration reads
/// them), run here: alone, after the parallel tests.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EnvironmentCollection
{
    public const string Name = "Process environment";
}

/// <summary>
/// An isolated AWS environment: no credentials or region in variables, the shared config and
/// credentials files pointing at empty temporary files, instance metadata disabled, and the client
/// cache cleared. Dispose restores every variable it touched and deletes its files.
/// </summary>
public sealed class AwsEnvironment : IDisposable
{
    private static readonly string[] Variables =
    {
        "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_DEFAULT_PROFILE",
        "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECRET_KEY", "AWS_ACCESS_KEY",
        "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_EC2_METADATA_DISABLED",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN", "AWS_MAX_ATTEMPTS", "AWS_RETRY_MODE",
        "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_REKOGNITION", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
        "AWS_USE_FIPS_ENDPOINT", "AWS_USE_DUALSTACK_ENDPOINT",
    };

    // One pair of shared files for the whole process: AWSSDK.Core reads AWS_SHARED_CREDENTIALS_FILE
    // once per process, so a new path per test would be ignored. Each scope empties them instead.
    private static readonly string SharedConfigFile = TempPath("config");
    private static readonly string SharedCredentialsFile = TempPath("credentials");

    private readonly Dictionary<string, string> _saved = new();
    private readonly List<string> _files = new();

    static AwsEnvironment()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { File.Delete(SharedConfigFile); File.Delete(SharedCredentialsFile); } catch (IOException) { }
        };
    }

    public AwsEnvironment()
    {
        foreach (string name in Variables) _saved[name] = Environment.GetEnvironmentVariable(name);
        foreach (string name in Variables) Environment.SetEnvironmentVariable(name, null);
        ConfigFile = SharedConfigFile;
        CredentialsFile = SharedCredentialsFile;
        File.WriteAllText(ConfigFile, "");
        File.WriteAllText(CredentialsFile, "");
        Set("AWS_CONFIG_FILE", ConfigFile);
        Set("AWS_SHARED_CREDENTIALS_FILE", CredentialsFile);
        Set("AWS_EC2_METADATA_DISABLED", "true");
        RekognitionClients.Clear();
    }

    public string ConfigFile { get; }
    public string CredentialsFile { get; }

    public void Set(string name, string value)
    {
        if (!_saved.ContainsKey(name)) _saved[name] = Environment.GetEnvironmentVariable(name);
        Environment.SetEnvironmentVariable(name, value);
    }

    /// <summary>A temporary file with the given text, deleted on Dispose.</summary>
    public string NewFile(string text)
    {
        string path = TempPath("profile");
        File.WriteAllText(path, text);
        _files.Add(path);
        return path;
    }

    private static string TempPath(string what) =>
        Path.Combine(Path.GetTempPath(), "facetools-tests-" + what + "-" + Guid.NewGuid().ToString("N") + ".ini");

    public void Dispose()
    {
        RekognitionClients.Clear();
        File.WriteAllText(ConfigFile, "");
        File.WriteAllText(CredentialsFile, "");
        foreach (var pair in _saved) Environment.SetEnvironmentVariable(pair.Key, pair.Value);
        foreach (string path in _files)
        {
            try { File.Delete(path); } catch (IOException) { }
        }
    }
}

/// <summary>Looks inside a RekognitionApi at the AWSSDK.Core client it was built with.</summary>
internal static class ApiInspector
{
    public static AmazonServiceClient ClientOf(RekognitionApi api) =>
        (AmazonServiceClient)typeof(RekognitionApi).GetField("_client", BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(api);

    public static IClientConfig ConfigOf(RekognitionApi api) => ClientOf(api).Config;

    public static string RegionOf(RekognitionApi api) => ConfigOf(api).RegionEndpoint?.SystemName;

    public static AWSCredentials CredentialsOf(RekognitionApi api)
    {
        object client = ClientOf(api);
        for (Type type = client.GetType(); type != null; type = type.BaseType)
        {
            foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.DeclaredOnly))
                if (typeof(AWSCredentials).IsAssignableFrom(field.FieldType) && field.GetValue(client) is AWSCredentials found)
                    return found;
            foreach (var property in type.GetProperties(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.DeclaredOnly))
                if (typeof(AWSCredentials).IsAssignableFrom(property.PropertyType) && property.GetIndexParameters().Length == 0 && property.GetValue(client) is AWSCredentials found)
                    return found;
        }

        return null;
    }
}
