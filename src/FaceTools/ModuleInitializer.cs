using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;

namespace FaceTools
{
    /// <summary>
    /// Makes the module's own dependencies (the engine and AWSSDK.Core) resolvable, and only from its
    /// Dependencies folder. On PowerShell 7 they load into FaceTools' own AssemblyLoadContext, beside
    /// whatever AWSSDK.Core another module (AWS Tools for PowerShell) brought. Windows PowerShell 5.1
    /// has no load contexts: there they load into the one AppDomain, so the first AWSSDK.Core loaded
    /// in a session wins.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static readonly string ModulePath = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? ".";
        private static readonly bool IsDesktop = typeof(object).Assembly.GetName().Name == "mscorlib";

        // For troubleshooting and for measuring what isolation costs: FACETOOLS_DISABLE_ISOLATION=1 makes
        // PowerShell 7 resolve the dependencies as Windows PowerShell does, in the default context.
        private static readonly bool Isolate = !IsDesktop && Environment.GetEnvironmentVariable("FACETOOLS_DISABLE_ISOLATION") != "1";

        private static readonly string DependenciesPath = Path.Combine(ModulePath, "Dependencies", IsDesktop ? "Desktop" : "Core");

        public void OnImport()
        {
            string problem = UnsupportedRuntime(IsDesktop, Environment.Version);
            if (problem != null) throw new PlatformNotSupportedException(problem);
            AppDomain.CurrentDomain.AssemblyResolve += ResolveDependency;
        }

        /// <summary>
        /// Why the module cannot run here, or null. On PowerShell 7 the engine and AWSSDK.Core are built for .NET 8,
        /// which PowerShell 7.4 is the first to run on: an older one would import the module and fail at the first cmdlet.
        /// </summary>
        internal static string UnsupportedRuntime(bool isDesktop, Version runtime) =>
            !isDesktop && runtime.Major < 8
                ? $"FaceTools needs PowerShell 7.4 or later (or Windows PowerShell 5.1); this PowerShell runs on .NET {runtime}, so it is older than 7.4."
                : null;

        public void OnRemove(PSModuleInfo module) => AppDomain.CurrentDomain.AssemblyResolve -= ResolveDependency;

        // On PowerShell 7 only the engine is asked for here (the cmdlets reference nothing else of ours); it
        // is loaded into FaceTools' own load context, which resolves AWSSDK.Core and the rest itself. The load
        // context's assembly targets .NET, so this netstandard2.0 assembly reaches it by reflection, and only
        // when a cmdlet first needs the engine: importing the module costs no more than without isolation.
        private static Assembly ResolveThroughLoadContext(AssemblyName name)
        {
            if (name.Name != "FaceTools.Engine") return null;
            Assembly loader = Assembly.LoadFrom(Path.Combine(ModulePath, "FaceTools.LoadContext.dll"));
            return (Assembly)loader.GetType("FaceTools.LoadContext.FaceToolsLoadContext", throwOnError: true)
                .GetMethod("LoadEngine", BindingFlags.Public | BindingFlags.Static)
                .Invoke(null, new object[] { DependenciesPath, name });
        }

        private static Assembly ResolveDependency(object sender, ResolveEventArgs args)
        {
            var name = new AssemblyName(args.Name);
            if (Isolate) return ResolveThroughLoadContext(name);
            string path = Path.Combine(DependenciesPath, name.Name + ".dll");
            return File.Exists(path) ? Assembly.LoadFrom(path) : null;
        }
    }
}
