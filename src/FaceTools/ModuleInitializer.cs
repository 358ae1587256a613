using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;

namespace FaceTools
{
    /// <summary>
    /// Resolves the module's own dependencies (the engine and AWSSDK.Core) from its Dependencies
    /// folder, so they are never looked for, or found, anywhere else.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        // Windows PowerShell 5.1 (.NET Framework) takes the netstandard2.0 engine and its polyfills;
        // PowerShell 7 the net8.0 engine.
        private static readonly string DependenciesPath = Path.Combine(
            Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? ".",
            "Dependencies",
            typeof(object).Assembly.GetName().Name == "mscorlib" ? "Desktop" : "Core");

        public void OnImport() => AppDomain.CurrentDomain.AssemblyResolve += ResolveDependency;

        public void OnRemove(PSModuleInfo module) => AppDomain.CurrentDomain.AssemblyResolve -= ResolveDependency;

        private static Assembly ResolveDependency(object sender, ResolveEventArgs args)
        {
            var name = new AssemblyName(args.Name);
            string path = Path.Combine(DependenciesPath, name.Name + ".dll");
            return File.Exists(path) ? Assembly.LoadFrom(path) : null;
        }
    }
}
