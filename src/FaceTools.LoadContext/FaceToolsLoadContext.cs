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

        private static readonly object Gate = new object();
        private static FaceToolsLoadContext _instance;

        /// <summary>
        /// Loads the engine into FaceTools' own context, creating it on first use. The module initializer
        /// calls this from its resolve handler, so nothing of this runs until a cmdlet first needs the engine.
        /// </summary>
        public static Assembly LoadEngine(string dependenciesPath, AssemblyName name)
        {
            lock (Gate)
            {
                _instance ??= new FaceToolsLoadContext(dependenciesPath);
            }

            return _instance.LoadFromAssemblyName(name);
        }

        protected override Assembly Load(AssemblyName name)
        {
            string path = Path.Combine(_dependenciesPath, name.Name + ".dll");
            return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
        }
    }
}
