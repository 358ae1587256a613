using System.Collections;
using System.Management.Automation;
using FaceTools.Engine.Client;

namespace FaceTools.Commands
{
    /// <summary>
    /// The AWS common parameters, read from a bound-parameters dictionary: the cmdlets' own
    /// (MyInvocation.BoundParameters) and the tab completers' (fakeBoundParameters) alike.
    /// </summary>
    internal static class ConnectionParameters
    {
        public static ConnectionSettings From(IDictionary bound, int maxConcurrency)
        {
            return new ConnectionSettings
            {
                Region = Text(bound, "Region"),
                ProfileName = Text(bound, "ProfileName"),
                ProfileLocation = Text(bound, "ProfileLocation"),
                AccessKey = Text(bound, "AccessKey"),
                SecretKey = Text(bound, "SecretKey"),
                SessionToken = Text(bound, "SessionToken"),
                Credential = Unwrap(bound, "Credential"),
                EndpointUrl = Text(bound, "EndpointUrl"),
                TimeoutSec = Unwrap(bound, "TimeoutSec") is int seconds ? seconds : (int?)null,
                MaxConcurrency = maxConcurrency,
            };
        }

        private static object Unwrap(IDictionary bound, string name)
        {
            object value = bound != null && bound.Contains(name) ? bound[name] : null;
            return value is PSObject wrapped ? wrapped.BaseObject : value;
        }

        private static string Text(IDictionary bound, string name) => Unwrap(bound, name) as string;
    }
}
