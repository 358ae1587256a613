using Amazon.Runtime;
using FaceTools.Engine.Client;

namespace FaceTools.Tests;

[Collection(EnvironmentCollection.Name)]
public sealed class RekognitionClientsTests : IDisposable
{
    private const string AccessKey = "AKIDFACETOOLSTEST01";
    private const string Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETVALUE";
    private const string SessionToken = "FwoGZXIvYXdzSESSIONTOKENSECRETVALUE";
    private const string ProfileSecret = "pr0fileSECRETvalueNeverShown/+abc";

    private readonly AwsEnvironment _env = new();

    public void Dispose() => _env.Dispose();

    private static ConnectionSettings Keys(string region = "us-east-1") =>
        new() { AccessKey = AccessKey, SecretKey = Secret, Region = region };

    private static void AssertNoSecret(Exception e)
    {
        Assert.DoesNotContain(Secret, e.Message);
        Assert.DoesNotContain(SessionToken, e.Message);
        Assert.DoesNotContain(ProfileSecret, e.Message);
        Assert.DoesNotContain(Secret, e.ToString());
        Assert.DoesNotContain(ProfileSecret, e.ToString());
    }

    private string ProfileFile(string name = "facetools-test", string region = null) =>
        _env.NewFile($"[{name}]\naws_access_key_id = AKIDPROFILE0001\naws_secret_access_key = {ProfileSecret}\n" +
                     (region != null ? $"region = {region}\n" : ""));

    // ---- the names tab completion offers ----

    [Fact]
    public void ProfileNames_ListsTheSharedFilesProfilesSortedOnce_AndTheGivenFileAlone()
    {
        File.WriteAllText(_env.CredentialsFile, $"[zeta]\naws_access_key_id = AKIDZETA\naws_secret_access_key = {ProfileSecret}\n[dev team]\naws_access_key_id = AKIDDEV\naws_secret_access_key = {ProfileSecret}\n");
        string other = ProfileFile("ops");

        Assert.Equal(new[] { "dev team", "zeta" }, RekognitionClients.ProfileNames(null));
        Assert.Equal(new[] { "ops" }, RekognitionClients.ProfileNames(other));
    }

    [Fact]
    public void KnownRegions_AreRegionNamesWithDisplayNames_WithoutTheS3Alias()
    {
        var regions = RekognitionClients.KnownRegions();

        Assert.Contains(new KeyValuePair<string, string>("eu-west-1", "Europe (Ireland)"), regions);
        Assert.DoesNotContain(regions, r => r.Key.EndsWith("-regional", StringComparison.Ordinal));
        Assert.Equal(regions.Select(r => r.Key).OrderBy(k => k, StringComparer.Ordinal), regions.Select(r => r.Key));
    }

    // ---- region ----

    [Fact]
    public void Region_Parameter_WinsOverAwsRegionAndAwsDefaultRegion()
    {
        _env.Set("AWS_REGION", "us-west-2");
        _env.Set("AWS_DEFAULT_REGION", "ap-south-1");
        Assert.Equal("eu-west-1", ApiInspector.RegionOf(RekognitionClients.Get(Keys("eu-west-1"))));
    }

    [Fact]
    public void Region_AwsRegion_WinsOverAwsDefaultRegion()
    {
        _env.Set("AWS_REGION", "us-west-2");
        _env.Set("AWS_DEFAULT_REGION", "ap-south-1");
        Assert.Equal("us-west-2", ApiInspector.RegionOf(RekognitionClients.Get(Keys(null))));
    }

    [Fact]
    public void Region_AwsDefaultRegion_IsUsedLast()
    {
        _env.Set("AWS_DEFAULT_REGION", "ap-south-1");
        Assert.Equal("ap-south-1", ApiInspector.RegionOf(RekognitionClients.Get(Keys(null))));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Region_BlankParameter_CountsAsNotGiven(string blank)
    {
        _env.Set("AWS_REGION", "ca-central-1");
        Assert.Equal("ca-central-1", ApiInspector.RegionOf(RekognitionClients.Get(Keys(blank))));
    }

    [Fact]
    public void Region_None_IsNoRegion()
    {
        var e = Assert.Throws<RekognitionException>(() => RekognitionClients.Get(Keys(null)));
        Assert.Equal(ErrorCodes.NoRegion, e.ErrorCode);
        Assert.Equal(FailureKind.Configuration, e.Kind);
        Assert.True(e.IsTerminal);
        Assert.Contains("-Region", e.Message);
        AssertNoSecret(e);
    }

    [Theory]
    [InlineData("us east 1", "-Region")]
    [InlineData("US-EAST-1", "-Region")]
    [InlineData("us--east-1", "-Region")]
    [InlineData("-us-east-1", "-Region")]
    [InlineData("us-east-1/", "-Region")]
    [InlineData("us_east_1", "AWS_REGION")]
    [InlineData("us-east-1.", "AWS_DEFAULT_REGION")]
    public void Region_NotARegionName_IsInvalidConfiguration_NamingWhereItCameFrom(string region, string source)
    {
        var settings = Keys(source == "-Region" ? region : null);
        if (source != "-Region") _env.Set(source, region);
        var e = Assert.Throws<RekognitionException>(() => RekognitionClients.Get(settings));
        Assert.Equal(ErrorCodes.InvalidConfiguration, e.ErrorCode);
        Assert.True(e.IsTerminal);
        Assert.Contains($"'{region}' from {source}", e.Message);
        Assert.Contains("us-east-1", e.Message);
        AssertNoSecret(e);
    }

    [Theory]
    [InlineData("us-east-1\r\n")]
    [InlineData("  eu-west-1 ")]
    public void Region_SurroundingWhiteSpace_IsTrimmed(string region)
    {
        Assert.Equal(region.Trim(), ApiInspector.RegionOf(RekognitionClients.Get(Keys(region))));
    }

    [Fact]
    public void Region_FromTheProfileInProfileLocation_WhenNothingElseGivesOne()
    {
        string file = ProfileFile(region: "eu-central-1");
        var api = RekognitionClients.Get(new ConnectionSettings { ProfileName = "facetools-test", ProfileLocation = file });
        Assert.Equal("eu-central-1", ApiInspector.RegionOf(api));
    }

    [Fact]
    public void Region_AwsRegion_WinsOverTheProfilesRegion()
    {
        _env.Set("AWS_REGION", "us-west-1");
        string file = ProfileFile(region: "eu-central-1");
        var api = RekognitionClients.Get(new ConnectionSettings { ProfileName = "facetools-test", ProfileLocation = file });
        Assert.Equal("us-west-1", ApiInspector.RegionOf(api));
    }

    // ---- credentials ----

    [Fact]
    public void AccessKeyWithoutSecretKey_IsInvalidConfiguration()
    {
        var e = Assert.Throws<RekognitionException>(() => RekognitionClients.Get(new ConnectionSettings { AccessKey = AccessKey, Region = "us-east-1" }));
        Assert.Equal(ErrorCodes.InvalidConfiguration, e.ErrorCode);
        Assert.True(e.IsTerminal);
        Assert.Contains("SecretKey", e.Message);
    }

    [Fact]
    public void SecretKeyWithoutAccessKey_IsInvalidConfiguration_AndDoesNotShowTheSecret()
    {
        var e = Assert.Throws<RekognitionException>(() => RekognitionClients.Get(new ConnectionSettings { SecretKey = Secret, SessionToken = SessionToken, Region = "us-east-1" }));
        Assert.Equal(ErrorCodes.InvalidConfiguration, e.ErrorCode);
        AssertNoSecret(e);
    }

    [Fact]
    public void ExplicitKeys_AreTheClientsCredentials()
    {
        var api = RekognitionClients.Get(new ConnectionSettings { AccessKey = AccessKey, SecretKey = Secret, SessionToken = SessionToken, Region = "us-east-1" });
        var immutable = ApiInspector.CredentialsOf(api).GetCredentials();
        Assert.Equal(AccessKey, immutable.AccessKey);
        Assert.Equal(Secret, immutable.SecretKey);
        Assert.Equal(SessionToken, immutable.Token);
    }

    [Fact]
    public void ProfileMissingFromProfileLocation_IsProfileNotFound()
    {
        string file = ProfileFile("someone-else");
        var e = Assert.Throws<RekognitionException>(() => RekognitionClients.Get(new ConnectionSettings { ProfileName = "facetools-missing", ProfileLocation = file, Region = "us-east-1" }));
        Assert.Equal(ErrorCodes.ProfileNotFound, e.ErrorCode);
        Assert.Equal(FailureKind.Configuration, e.Kind);
        Assert.Contains("facetools-missing", e.Message);
        AssertNoSecret(e);
    }

    [Fact]
    public void ProfileMissingFromTheSharedFiles_IsProfileNotFound()
    {
        File.WriteAllText(_env.CredentialsFile, $"[present]\naws_access_key_id = AKIDPROFILE0001\naws_secret_access_key = {ProfileSecret}\n");
        var e = Assert.Throws<RekognitionException>(() => RekognitionClients.Get(new ConnectionSettings { ProfileName = "absent", Region = "us-east-1" }));
        Assert.Equal(ErrorCodes.ProfileNotFound, e.ErrorCode);
        Assert.Contains("absent", e.Message);
        AssertNoSecret(e);
    }

    [Fact]
    public void ProfileFromProfileLocation_Works()
    {
        string file = ProfileFile();
        var api = RekognitionClients.Get(new ConnectionSettings { ProfileName = "facetools-test", ProfileLocation = file, Region = "us-east-1" });
        Assert.NotNull(api);
        var immutable = ApiInspector.CredentialsOf(api).GetCredentials();
        Assert.Equal("AKIDPROFILE0001", immutable.AccessKey);
        Assert.Equal(ProfileSecret, immutable.SecretKey);
    }

    [Fact]
    public void ProfileFromTheSharedCredentialsFile_Works()
    {
        File.WriteAllText(_env.CredentialsFile, $"[shared-one]\naws_access_key_id = AKIDSHARED0001\naws_secret_access_key = {ProfileSecret}\n");
        var api = RekognitionClients.Get(new ConnectionSettings { ProfileName = "shared-one", Region = "us-east-1" });
        Assert.Equal("AKIDSHARED0001", ApiInspector.CredentialsOf(api).GetCredentials().AccessKey);
    }

    [Fact]
    public void EnvironmentKeys_AreUsedWhenNothingIsGiven()
    {
        _env.Set("AWS_ACCESS_KEY_ID", "AKIDENVIRONMENT01");
        _env.Set("AWS_SECRET_ACCESS_KEY", Secret);
        var api = RekognitionClients.Get(new ConnectionSettings { Region = "us-east-1" });
        Assert.Equal("AKIDENVIRONMENT01", ApiInspector.CredentialsOf(api).GetCredentials().AccessKey);
    }

    [Fact]
    public void NoCredentialsAnywhere_IsNoCredentials_OrDeferred()
    {
        // With nothing in the environment, the files empty and instance metadata disabled, either
        // resolution fails now as NoCredentials, or the SDK defers the failure to the first call.
        try
        {
            RekognitionClients.Get(new ConnectionSettings { Region = "us-east-1" });
        }
        catch (RekognitionException e)
        {
            Assert.Equal(ErrorCodes.NoCredentials, e.ErrorCode);
            Assert.True(e.IsTerminal);
        }
    }

    [Fact]
    public void CredentialObject_OfThisSdk_IsUsed()
    {
        var credential = new Amazon.Runtime.BasicAWSCredentials("AKIDOBJECT0001", Secret);
        var api = RekognitionClients.Get(new ConnectionSettings { Credential = credential, Region = "us-east-1" });
        Assert.Same(credential, ApiInspector.CredentialsOf(api));
    }

    [Fact]
    public void CredentialObject_WithoutKeys_IsInvalidConfiguration()
    {
        var e = Assert.Throws<RekognitionException>(() => RekognitionClients.Get(new ConnectionSettings { Credential = new object(), Region = "us-east-1" }));
        Assert.Equal(ErrorCodes.InvalidConfiguration, e.ErrorCode);
    }

    private sealed class ForeignImmutable
    {
        public string AccessKey => "AKIDFOREIGN0001";
        public string SecretKey => Secret;
        public string Token => SessionToken;
    }

    private sealed class ForeignCredentials
    {
        public ForeignImmutable GetCredentials() => new();
    }

    [Fact]
    public void CredentialObject_FromAnotherSdkCopy_IsReadThroughGetCredentials()
    {
        var api = RekognitionClients.Get(new ConnectionSettings { Credential = new ForeignCredentials(), Region = "us-east-1" });
        var immutable = ApiInspector.CredentialsOf(api).GetCredentials();
        Assert.Equal("AKIDFOREIGN0001", immutable.AccessKey);
        Assert.Equal(SessionToken, immutable.Token);
    }

    [Fact]
    public void AwsProfile_ChangedInTheSession_GivesThatProfilesKeysAndRegion()
    {
        File.WriteAllText(_env.CredentialsFile, $"[default]\naws_access_key_id = AKIDDEFAULT0001\naws_secret_access_key = {ProfileSecret}\n" +
                                                $"[pa]\naws_access_key_id = AKIDPROFILEPA01\naws_secret_access_key = {ProfileSecret}\n");
        File.WriteAllText(_env.ConfigFile, "[default]\nregion = us-west-1\n[profile pa]\nregion = eu-west-1\n");
        var first = RekognitionClients.Get(new ConnectionSettings());
        _env.Set("AWS_PROFILE", "pa");
        var second = RekognitionClients.Get(new ConnectionSettings());

        Assert.Equal("AKIDDEFAULT0001", ApiInspector.CredentialsOf(first).GetCredentials().AccessKey);
        Assert.Equal("us-west-1", ApiInspector.RegionOf(first));
        Assert.Equal("AKIDPROFILEPA01", ApiInspector.CredentialsOf(second).GetCredentials().AccessKey);
        Assert.Equal("eu-west-1", ApiInspector.RegionOf(second));
    }

    [Fact]
    public void CredentialsRotatedInTheFile_AreUsedByTheNextClient()
    {
        File.WriteAllText(_env.CredentialsFile, $"[default]\naws_access_key_id = AKIDBEFORE00001\naws_secret_access_key = {ProfileSecret}\n");
        var before = RekognitionClients.Get(new ConnectionSettings { Region = "us-east-1" });
        File.WriteAllText(_env.CredentialsFile, $"[default]\naws_access_key_id = AKIDAFTER000001\naws_secret_access_key = {ProfileSecret}\n");
        File.SetLastWriteTimeUtc(_env.CredentialsFile, DateTime.UtcNow.AddSeconds(5));
        var after = RekognitionClients.Get(new ConnectionSettings { Region = "us-east-1" });

        Assert.Equal("AKIDBEFORE00001", ApiInspector.CredentialsOf(before).GetCredentials().AccessKey);
        Assert.Equal("AKIDAFTER000001", ApiInspector.CredentialsOf(after).GetCredentials().AccessKey);
    }

    [Theory]
    [InlineData("role_arn = arn:aws:iam::123456789012:role/r\nsource_profile = default\n", "assumes a role")]
    [InlineData("sso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\nsso_account_id = 123456789012\nsso_role_name = R\n", "IAM Identity Center")]
    [InlineData("region = eu-west-1\n", "has no credentials")]
    [InlineData("aws_access_key_id = AKIDHALF0000001\n", "has no credentials")]
    public void ProfileFaceToolsCannotUse_IsInvalidConfiguration_NamingIt_BeforeAnyRequest(string body, string reason)
    {
        File.WriteAllText(_env.ConfigFile, "[profile odd]\n" + body);
        foreach (bool byVariable in new[] { false, true })
        {
            if (byVariable) _env.Set("AWS_PROFILE", "odd");
            var e = Assert.Throws<RekognitionException>(() => RekognitionClients.Get(new ConnectionSettings { ProfileName = byVariable ? null : "odd", Region = "us-east-1" }));
            Assert.Equal(ErrorCodes.InvalidConfiguration, e.ErrorCode);
            Assert.True(e.IsTerminal);
            Assert.Contains("'odd'", e.Message);
            Assert.Contains(reason, e.Message);
        }
    }

    [Fact]
    public void AwsProfile_NamingNoProfile_IsProfileNotFound_NotAFallbackToOtherCredentials()
    {
        File.WriteAllText(_env.CredentialsFile, $"[default]\naws_access_key_id = AKIDDEFAULT0001\naws_secret_access_key = {ProfileSecret}\n");
        _env.Set("AWS_PROFILE", "nope");
        var e = Assert.Throws<RekognitionException>(() => RekognitionClients.Get(new ConnectionSettings { Region = "us-east-1" }));
        Assert.Equal(ErrorCodes.ProfileNotFound, e.ErrorCode);
        Assert.Contains("'nope' (named by AWS_PROFILE)", e.Message);
    }

    [Fact]
    public void DefaultProfileWithARegionOnly_LeavesTheCredentialsToTheNextSource_AndGivesItsRegion()
    {
        File.WriteAllText(_env.ConfigFile, "[default]\nregion = ap-south-1\n");
        _env.Set("AWS_ACCESS_KEY_ID", "AKIDENVIRONMENT01");
        _env.Set("AWS_SECRET_ACCESS_KEY", Secret);
        var api = RekognitionClients.Get(new ConnectionSettings());
        Assert.Equal("AKIDENVIRONMENT01", ApiInspector.CredentialsOf(api).GetCredentials().AccessKey);
        Assert.Equal("ap-south-1", ApiInspector.RegionOf(api));
    }

    [Fact]
    public void NamedProfileWithoutRegion_DoesNotTakeTheDefaultProfilesRegion()
    {
        File.WriteAllText(_env.CredentialsFile, $"[other]\naws_access_key_id = AKIDOTHER000001\naws_secret_access_key = {ProfileSecret}\n");
        File.WriteAllText(_env.ConfigFile, "[default]\nregion = us-west-1\n");
        var e = Assert.Throws<RekognitionException>(() => RekognitionClients.Get(new ConnectionSettings { ProfileName = "other" }));
        Assert.Equal(ErrorCodes.NoRegion, e.ErrorCode);
    }

    [Fact]
    public void SessionTokenWithoutKeys_IsInvalidConfiguration()
    {
        var e = Assert.Throws<RekognitionException>(() => RekognitionClients.Get(new ConnectionSettings { SessionToken = SessionToken, Region = "us-east-1" }));
        Assert.Equal(ErrorCodes.InvalidConfiguration, e.ErrorCode);
        Assert.Contains("SessionToken", e.Message);
        AssertNoSecret(e);
    }

    [Fact]
    public void EmptyVariables_CountAsUnset_SoAChangedHomeFileStillMakesANewClient()
    {
        string home = Path.Combine(Path.GetTempPath(), "facetools-tests-home-" + Guid.NewGuid().ToString("N"));
        string credentials = Path.Combine(home, ".aws", "credentials");
        Directory.CreateDirectory(Path.GetDirectoryName(credentials)!);
        try
        {
            File.WriteAllText(credentials, "");
            _env.Set("HOME", home);
            _env.Set("USERPROFILE", home);
            _env.Set("AWS_SHARED_CREDENTIALS_FILE", "");
            _env.Set("AWS_REGION", "");
            _env.Set("AWS_DEFAULT_REGION", "eu-north-1");
            var before = RekognitionClients.Get(Keys(region: null));
            File.WriteAllText(credentials, "[someone]\n");
            var after = RekognitionClients.Get(Keys(region: null));

            Assert.NotSame(before, after);
            Assert.Equal("eu-north-1", ApiInspector.RegionOf(after));
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    private sealed class RotatingForeignCredentials
    {
        public int Calls;
        public ForeignRotated GetCredentials() => new(++Calls);
    }

    private sealed class ForeignRotated(int n)
    {
        public string AccessKey => "AKIDROTATED000" + n;
        public string SecretKey => Secret;
        public string Token => null;
    }

    private sealed class FailingForeignCredentials
    {
        public ForeignImmutable GetCredentials() => throw new InvalidOperationException("refresh failed for role xyz");
    }

    [Fact]
    public void CredentialObject_FromAnotherSdkCopy_IsReadAgainOnEveryUse()
    {
        var credential = new RotatingForeignCredentials();
        var api = RekognitionClients.Get(new ConnectionSettings { Credential = credential, Region = "us-east-1" });
        var first = ApiInspector.CredentialsOf(api).GetCredentials().AccessKey;
        var second = ApiInspector.CredentialsOf(api).GetCredentials().AccessKey;
        Assert.NotEqual(first, second);
        Assert.Same(api, RekognitionClients.Get(new ConnectionSettings { Credential = credential, Region = "us-east-1" }));
    }

    [Fact]
    public void CredentialObject_ThatFails_IsInvalidConfiguration_WithItsReason()
    {
        var e = Assert.Throws<RekognitionException>(() => RekognitionClients.Get(new ConnectionSettings { Credential = new FailingForeignCredentials(), Region = "us-east-1" }));
        Assert.Equal(ErrorCodes.InvalidConfiguration, e.ErrorCode);
        Assert.Contains("refresh failed for role xyz", e.Message);
    }

    [Fact]
    public void TheCache_KeepsAtMostMaxClients_DroppingTheLeastRecentlyUsed()
    {
        var kept = RekognitionClients.Get(Keys());
        for (int i = 0; i < RekognitionClients.MaxClients + 10; i++)
        {
            RekognitionClients.Get(new ConnectionSettings { AccessKey = AccessKey, SecretKey = Secret, SessionToken = "token-" + i, Region = "us-east-1" });
            Assert.Same(kept, RekognitionClients.Get(Keys()));
        }

        Assert.Equal(RekognitionClients.MaxClients, RekognitionClients.CachedClients);
    }

    [Theory]
    [InlineData("http://admin:P4ssw0rd@127.0.0.1:9/", "http://***@127.0.0.1:9/")]
    [InlineData("https://user@vpce.example.com", "https://***@vpce.example.com")]
    [InlineData("https://rekognition.us-east-1.amazonaws.com/", "https://rekognition.us-east-1.amazonaws.com/")]
    [InlineData("https://host/path?x=a@b", "https://host/path?x=a@b")]
    [InlineData("not a url with a:b@c", "***@c")]
    public void Redacted_HidesTheUserNameAndPasswordOfAnEndpoint(string url, string expected)
    {
        Assert.Equal(expected, RekognitionClients.Redacted(url));
    }

    [Fact]
    public void TheCache_KeepsANewClient_WhenFull()
    {
        for (int i = 0; i < RekognitionClients.MaxClients; i++)
            RekognitionClients.Get(new ConnectionSettings { AccessKey = AccessKey, SecretKey = Secret, SessionToken = "token-" + i, Region = "us-east-1" });
        var newest = RekognitionClients.Get(Keys());
        Assert.Same(newest, RekognitionClients.Get(Keys()));
        Assert.Equal(RekognitionClients.MaxClients, RekognitionClients.CachedClients);
    }

    [Fact]
    public void ARewrittenCredentialsFile_MakesANewClient_EvenWithTheSameTimestamp()
    {
        File.WriteAllText(_env.CredentialsFile, $"[default]\naws_access_key_id = AKIDBEFORE00001\naws_secret_access_key = {ProfileSecret}\n");
        var stamp = File.GetLastWriteTimeUtc(_env.CredentialsFile);
        var before = RekognitionClients.Get(new ConnectionSettings { Region = "us-east-1" });
        File.WriteAllText(_env.CredentialsFile, $"[default]\naws_access_key_id = AKIDAFTER000001\naws_secret_access_key = {ProfileSecret}\n");
        File.SetLastWriteTimeUtc(_env.CredentialsFile, stamp);
        var after = RekognitionClients.Get(new ConnectionSettings { Region = "us-east-1" });
        Assert.Equal("AKIDAFTER000001", ApiInspector.CredentialsOf(after).GetCredentials().AccessKey);
        Assert.NotSame(before, after);
    }

    // ---- cache ----

    [Fact]
    public void SameSettings_GiveTheSameCachedInstance()
    {
        var first = RekognitionClients.Get(Keys());
        var second = RekognitionClients.Get(Keys());
        Assert.Same(first, second);
    }

    [Fact]
    public void MaxConcurrencyTwoToFour_ShareOneClient_AndOneHasASequentialClientOfItsOwn()
    {
        var one = Keys();
        one.MaxConcurrency = 1;
        var two = Keys();
        two.MaxConcurrency = 2;
        var four = Keys();
        four.MaxConcurrency = 4;
        Assert.Same(RekognitionClients.Get(two), RekognitionClients.Get(four));
        Assert.NotSame(RekognitionClients.Get(one), RekognitionClients.Get(four));
        var oneAgain = Keys();
        oneAgain.MaxConcurrency = 1;
        Assert.Same(RekognitionClients.Get(one), RekognitionClients.Get(oneAgain));
    }

    public static TheoryData<string> Variations() => new() { "Region", "AccessKey", "SecretKey", "SessionToken", "EndpointUrl", "TimeoutSec", "MaxConcurrency" };

    [Theory]
    [MemberData(nameof(Variations))]
    public void DifferentKeys_GiveDifferentInstances(string what)
    {
        var baseline = RekognitionClients.Get(Keys());
        var other = Keys();
        switch (what)
        {
            case "Region": other.Region = "eu-west-1"; break;
            case "AccessKey": other.AccessKey = "AKIDOTHER000001"; break;
            case "SecretKey": other.SecretKey = Secret + "x"; break;
            case "SessionToken": other.SessionToken = SessionToken; break;
            case "EndpointUrl": other.EndpointUrl = "http://127.0.0.1:4566"; break;
            case "TimeoutSec": other.TimeoutSec = 30; break;
            case "MaxConcurrency": other.MaxConcurrency = 16; break;
        }

        Assert.NotSame(baseline, RekognitionClients.Get(other));
        Assert.Same(baseline, RekognitionClients.Get(Keys()));
    }

    [Fact]
    public void EnvironmentSecretChange_GivesADifferentInstance()
    {
        _env.Set("AWS_ACCESS_KEY_ID", "AKIDENVIRONMENT01");
        _env.Set("AWS_SECRET_ACCESS_KEY", Secret);
        var first = RekognitionClients.Get(new ConnectionSettings { Region = "us-east-1" });
        _env.Set("AWS_SECRET_ACCESS_KEY", Secret + "rotated");
        var second = RekognitionClients.Get(new ConnectionSettings { Region = "us-east-1" });
        Assert.NotSame(first, second);
    }

    [Fact]
    public void EnvironmentKeys_AreReadOnceForAClient_AndARotationGivesANewClientWithTheNewKeys()
    {
        _env.Set("AWS_ACCESS_KEY_ID", "AKIDENVIRONMENT01");
        _env.Set("AWS_SECRET_ACCESS_KEY", Secret);
        _env.Set("AWS_SESSION_TOKEN", SessionToken);
        var first = RekognitionClients.Get(new ConnectionSettings { Region = "us-east-1" });
        _env.Set("AWS_ACCESS_KEY_ID", "AKIDENVIRONMENT02");
        _env.Set("AWS_SECRET_ACCESS_KEY", Secret + "rotated");
        _env.Set("AWS_SESSION_TOKEN", null);
        var second = RekognitionClients.Get(new ConnectionSettings { Region = "us-east-1" });

        ImmutableCredentials before = ApiInspector.CredentialsOf(first).GetCredentials();
        Assert.Equal(("AKIDENVIRONMENT01", Secret, SessionToken), (before.AccessKey, before.SecretKey, before.Token));
        ImmutableCredentials after = ApiInspector.CredentialsOf(second).GetCredentials();
        Assert.Equal(("AKIDENVIRONMENT02", Secret + "rotated"), (after.AccessKey, after.SecretKey));
        Assert.True(string.IsNullOrEmpty(after.Token));
    }

    [Fact]
    public void Clear_ForgetsCachedClients()
    {
        var first = RekognitionClients.Get(Keys());
        RekognitionClients.Clear();
        Assert.NotSame(first, RekognitionClients.Get(Keys()));
    }

    [Fact]
    public void NullSettings_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => RekognitionClients.Get(null));
    }

    // ---- endpoint ----

    [Fact]
    public void EndpointUrl_IsTheClientsServiceUrl_AndSigningKeepsTheRegion()
    {
        var settings = Keys("eu-west-2");
        settings.EndpointUrl = "http://127.0.0.1:4566";
        var config = ApiInspector.ConfigOf(RekognitionClients.Get(settings));
        Assert.StartsWith("http://127.0.0.1:4566", config.ServiceURL);
        Assert.Equal("eu-west-2", config.AuthenticationRegion);
    }

    [Fact]
    public void TimeoutSec_SetsTheClientTimeout()
    {
        var settings = Keys();
        settings.TimeoutSec = 17;
        Assert.Equal(TimeSpan.FromSeconds(17), ApiInspector.ConfigOf(RekognitionClients.Get(settings)).Timeout);
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("ftp://example.com/")]
    [InlineData("file://server/share/endpoint")]
    [InlineData("localhost:8080")]
    [InlineData("//example.com/path")]
    [InlineData("rekognition.us-east-1.amazonaws.com")]
    public void BadEndpointUrl_IsInvalidConfiguration(string url)
    {
        var settings = Keys();
        settings.EndpointUrl = url;
        var e = Assert.Throws<RekognitionException>(() => RekognitionClients.Get(settings));
        Assert.Equal(ErrorCodes.InvalidConfiguration, e.ErrorCode);
        Assert.Contains("EndpointUrl", e.Message);
        AssertNoSecret(e);
    }

    [Theory]
    [InlineData("http://rekognition.example.com", true)]
    [InlineData("http://10.1.2.3:8080/", true)]
    [InlineData("HTTP://Example.COM", true)]
    [InlineData("http://127.0.0.1:4566", false)]
    [InlineData("http://127.0.0.1", false)]
    [InlineData("http://localhost:4566", false)]
    [InlineData("http://[::1]:4566", false)]
    [InlineData("https://rekognition.us-east-1.amazonaws.com", false)]
    [InlineData("https://127.0.0.1", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("not a url", false)]
    public void IsUnencryptedRemoteEndpoint(string url, bool expected)
    {
        Assert.Equal(expected, RekognitionClients.IsUnencryptedRemoteEndpoint(url));
    }
}
