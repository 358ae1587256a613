using System;
using System.Collections.Generic;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using Amazon.Runtime.Credentials.Internal;
using Amazon.Runtime.Endpoints;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;
using Amazon.Util.Internal;
using FaceTools.Engine.Protocol;

namespace FaceTools.Engine.Client
{
    /// <summary>
    /// The Rekognition client on AWSSDK.Core's runtime pipeline, built the way the SDK's generated
    /// clients are: its credentials, SigV4 signer, retry policy (AWS_MAX_ATTEMPTS, AWS_RETRY_MODE,
    /// max_attempts), clock-skew correction, timeouts and HTTP client cache all come from AWSSDK.Core.
    /// </summary>
    internal sealed class RekognitionServiceClient : AmazonServiceClient
    {
        private static readonly IServiceMetadata Metadata = new RekognitionServiceMetadata();

        public RekognitionServiceClient(AWSCredentials credentials, RekognitionClientConfig config)
            : base(credentials, config)
        {
        }

        protected override IServiceMetadata ServiceMetadata => Metadata;

        protected override void CustomizeRuntimePipeline(RuntimePipeline pipeline)
        {
            pipeline.RemoveHandler<EndpointResolver>();
            pipeline.AddHandlerAfter<Marshaller>(new RekognitionEndpointResolver());
            pipeline.AddHandlerAfter<Marshaller>(new RekognitionAuthSchemeHandler());
            pipeline.AddHandler(new AttemptCountingHandler());
            pipeline.AddHandlerAfter<RetryHandler>(new LostAnswerHandler());
        }

        /// <summary>
        /// Sends one operation with its JSON body; retries happen inside, with the same body. <paramref name="safeToRepeat"/>
        /// says whether doing the operation twice does no harm: it reads, or it carries an idempotency token.
        /// </summary>
        public async Task<JsonOperationResponse> CallAsync(string operation, byte[] body, bool safeToRepeat, CancellationToken cancellationToken)
        {
            var options = new InvokeOptions
            {
                RequestMarshaller = JsonOperationMarshaller.Instance,
                ResponseUnmarshaller = JsonOperationUnmarshaller.Instance,
            };
            return await InvokeAsync<JsonOperationResponse>(new JsonOperationRequest(operation, body, safeToRepeat), options, cancellationToken).ConfigureAwait(false);
        }
    }

    internal sealed class RekognitionClientConfig : ClientConfig
    {
        private static readonly string UserAgentString = InternalSDKUtils.BuildUserAgentString("FaceTools", typeof(RekognitionClientConfig).Assembly.GetName().Version.ToString(3));

        public RekognitionClientConfig()
            : base(new DefaultConfigurationProvider(DefaultConfigurations()))
        {
            ServiceId = "Rekognition";
            AuthenticationServiceName = "rekognition";
            EndpointProvider = new RekognitionEndpointProvider();
        }

        public override string RegionEndpointServiceName => "rekognition";
        public override string ServiceVersion => "2016-06-27";
        public override string UserAgent => UserAgentString;

        public override Endpoint DetermineServiceOperationEndpoint(ServiceOperationEndpointParameters parameters) =>
            EndpointProvider.ResolveEndpoint(RekognitionEndpointResolver.ParametersFor(this));

        private static IEnumerable<IDefaultConfiguration> DefaultConfigurations()
        {
            // The SDK's "standard" mode; retry mode is what every current AWS SDK uses.
            yield return new DefaultConfiguration
            {
                Name = DefaultConfigurationMode.Standard,
                RetryMode = RequestRetryMode.Standard,
                S3UsEast1RegionalEndpoint = S3UsEast1RegionalEndpointValue.Regional,
                ConnectTimeout = TimeSpan.FromMilliseconds(3100),
                TlsNegotiationTimeout = TimeSpan.FromMilliseconds(3100),
            };
        }
    }

    internal sealed class RekognitionServiceMetadata : IServiceMetadata
    {
        public string ServiceId => "Rekognition";
        public IDictionary<string, string> OperationNameMapping { get; } = new Dictionary<string, string>(0);
    }

    /// <summary>Resolves https://rekognition[-fips].REGION.amazonaws.com[.cn], or the explicit endpoint.</summary>
    internal sealed class RekognitionEndpointProvider : IEndpointProvider
    {
        public Endpoint ResolveEndpoint(EndpointParameters parameters)
        {
            if (parameters["Endpoint"] is string explicitEndpoint && explicitEndpoint.Length > 0)
                return new Endpoint(explicitEndpoint);

            if (!(parameters["Region"] is string region) || region.Length == 0)
                throw new AmazonClientException("No region was set for the Rekognition client.");

            bool fips = parameters["UseFIPS"] is bool f && f;
            bool dualStack = parameters["UseDualStack"] is bool d && d;
            bool china = region.StartsWith("cn-", StringComparison.Ordinal);
            string host = fips ? "rekognition-fips" : "rekognition";
            string suffix = dualStack ? (china ? "api.amazonwebservices.com.cn" : "api.aws") : (china ? "amazonaws.com.cn" : "amazonaws.com");
            return new Endpoint($"https://{host}.{region}.{suffix}");
        }
    }

    internal sealed class RekognitionEndpointResolver : BaseEndpointResolver
    {
        protected override EndpointParameters MapEndpointsParameters(IRequestContext requestContext) =>
            ParametersFor(requestContext.ClientConfig);

        internal static EndpointParameters ParametersFor(IClientConfig config)
        {
            var parameters = new EndpointParameters();
            parameters["Region"] = config.RegionEndpoint?.SystemName ?? config.AuthenticationRegion;
            parameters["UseFIPS"] = config.UseFIPSEndpoint;
            parameters["UseDualStack"] = config.UseDualstackEndpoint;
            parameters["Endpoint"] = config.ServiceURL;
            return parameters;
        }
    }

    internal sealed class RekognitionAuthSchemeHandler : BaseAuthResolverHandler
    {
        protected override List<IAuthSchemeOption> ResolveAuthOptions(IExecutionContext executionContext) =>
            AuthSchemeOption.DEFAULT_SIGV4;
    }

    /// <summary>
    /// A success whose answer cannot be read (cut short, empty, not JSON) means the service did the work: AWSSDK.Core
    /// retries it as a transient error, which for an operation that changes state without an idempotency token (IndexFaces,
    /// DeleteFaces, CreateCollection, DeleteCollection, a user's without a token) would do it twice. Such an answer is
    /// not retried for those; the error says the work was probably done.
    /// </summary>
    internal sealed class LostAnswerHandler : PipelineHandler
    {
        public override void InvokeSync(IExecutionContext executionContext) =>
            throw new NotSupportedException("FaceTools calls the service asynchronously only.");

        public override async Task<T> InvokeAsync<T>(IExecutionContext executionContext)
        {
            try
            {
                return await base.InvokeAsync<T>(executionContext).ConfigureAwait(false);
            }
            catch (AmazonUnmarshallingException lost) when (lost.StatusCode == HttpStatusCode.OK &&
                executionContext.RequestContext.OriginalRequest is JsonOperationRequest request && !request.SafeToRepeat)
            {
                string what = lost.InnerException is UnusableAnswerException unusable ? unusable.Message
                    : "The service answered with success (HTTP 200), but its answer broke off: " + (lost.InnerException ?? lost).Message;
                // Not an AmazonUnmarshallingException, so AWSSDK.Core's retry policy lets it through.
                throw new UnusableAnswerException(what + " The service has probably done what was asked; " + request.Operation +
                    " was not sent again, as that would do it a second time. Check the result before you run the command again.",
                    lost, ErrorType.Unknown, ErrorCodes.MalformedResponse, lost.RequestId, HttpStatusCode.OK);
            }
        }
    }

    /// <summary>Records how many attempts a call took, for -Verbose and for errors.</summary>
    internal sealed class AttemptCountingHandler : PipelineHandler
    {
        public const string AttemptsKey = "FaceTools.Attempts";

        public override void InvokeSync(IExecutionContext executionContext) =>
            throw new NotSupportedException("FaceTools calls the service asynchronously only.");

        public override async Task<T> InvokeAsync<T>(IExecutionContext executionContext)
        {
            try
            {
                T result = await base.InvokeAsync<T>(executionContext).ConfigureAwait(false);
                if (executionContext.ResponseContext.Response is JsonOperationResponse response)
                    response.Attempts = executionContext.RequestContext.Retries + 1;
                return result;
            }
            catch (Exception exception)
            {
                exception.Data[AttemptsKey] = executionContext.RequestContext.Retries + 1;
                throw;
            }
        }
    }
}
