#if NET8_0_OR_GREATER
using System.Net;
using System.Net.Http;
using Amazon.Runtime;

namespace FaceTools.Engine.Client
{
    /// <summary>
    /// The HttpClient AWSSDK.Core makes by default (a SocketsHttpHandler with the config's connection limit, connect
    /// timeout, redirect rule, proxy and timeout, and no decompression), over connections whose answers are handled on
    /// a thread of their own (<see cref="ReaderThreadStream"/>).
    /// </summary>
    internal sealed class ReaderThreadHttpClientFactory : HttpClientFactory
    {
        public static readonly ReaderThreadHttpClientFactory Instance = new ReaderThreadHttpClientFactory();

        public override HttpClient CreateHttpClient(IClientConfig clientConfig)
        {
            var handler = new SocketsHttpHandler
            {
                EnableMultipleHttp2Connections = true,
                AllowAutoRedirect = clientConfig.AllowAutoRedirect,
                AutomaticDecompression = DecompressionMethods.None,
                ConnectCallback = (context, cancellationToken) =>
                    ReaderThreadStream.ConnectAsync(context.DnsEndPoint.Host, context.DnsEndPoint.Port, cancellationToken),
            };
            if (clientConfig.ConnectTimeout.HasValue) handler.ConnectTimeout = clientConfig.ConnectTimeout.Value;
            if (clientConfig.MaxConnectionsPerServer.HasValue) handler.MaxConnectionsPerServer = clientConfig.MaxConnectionsPerServer.Value;

            IWebProxy proxy = clientConfig.GetWebProxy();
            if (proxy != null) handler.Proxy = proxy;
            if (handler.Proxy != null && clientConfig.ProxyCredentials != null) handler.Proxy.Credentials = clientConfig.ProxyCredentials;

            var client = new HttpClient(handler);
            if (clientConfig.Timeout.HasValue) client.Timeout = clientConfig.Timeout.Value;
            return client;
        }
    }
}
#endif
