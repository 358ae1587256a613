using System;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace FaceTools.LoadContext
{
    /// <summary>
    /// Loads FaceTools' dependencies (the engine, AWSSDK.Core and its own dependencies) from the
    /// module's Dependencies folder, and nothing else: framework assemblies fall through to the
    /// default context. Another module's AWSSDK.Core in the default context is never seen here, and
    /// ours is never seen there.
    /// </summary>
    public sealed class FaceToolsLoadContext : AssemblyLoadContext
    {
        private readonly string _dependenciesPath;

        private FaceToolsLoadContext(string dependenciesPath)
            : base("FaceTools", isCollectible: false)
        {
            _dependenciesPath = dependenciesPath;
        }

        /// <summary>The engine's name: the one assembly the cmdlet assembly asks the default context for.</summary>
        public const string EngineAssemblyName = "FaceTools.Engine";

        private static readonly object Gate = new object();
        private static FaceToolsLoadContext _instance;
        private static bool _installed;

        /// <summary>
        /// Creates the context once per process and routes the cmdlet assembly's requests for the engine
        /// to it. Idempotent, so Remove-Module then Import-Module works.
        /// </summary>
        public static void Install(string dependenciesPath)
        {
            lock (Gate)
            {
                _instance ??= new FaceToolsLoadContext(dependenciesPath);
                if (_installed) return;
                Default.Resolving += ResolveEngine;
                _installed = true;
            }
        }

        public static void Uninstall()
        {
            lock (Gate)
            {
                if (!_installed) return;
                Default.Resolving -= ResolveEngine;
                _installed = false;
            }
        }

        private static Assembly ResolveEngine(AssemblyLoadContext context, AssemblyName name) =>
            name.Name == EngineAssemblyName ? _instance.LoadFromAssemblyName(name) : null;

        protected override Assembly Load(AssemblyName name)
        {
            string path = Path.Combine(_dependenciesPath, name.Name + ".dll");
            return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
        }
    }
}
