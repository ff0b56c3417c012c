using System.Runtime.InteropServices;

namespace NtkCluster.Numerics.LinearAlgebra;

/// <summary>
/// The raw entry points of the system OpenBLAS (Debian <c>libopenblas0</c>, soname <c>libopenblas.so.0</c>).
/// BLAS through CBLAS; LAPACK through its Fortran symbols (all arguments by reference), because Debian's build
/// exports no LAPACKE. We bind <c>libopenblas.so.0</c> by name rather than <c>libblas.so.3</c>, which may resolve
/// to the slow reference BLAS.
/// </summary>
internal static unsafe partial class OpenBlasNative
{
    public const string Library = "libopenblas.so.0";

    public const int ColMajor = 102, NoTrans = 111, Trans = 112, Upper = 121, Lower = 122;

    [LibraryImport(Library)]
    public static partial void cblas_dgemm(int order, int transA, int transB, int m, int n, int k, double alpha,
        double* a, int lda, double* b, int ldb, double beta, double* c, int ldc);

    [LibraryImport(Library)]
    public static partial void cblas_dsyrk(int order, int uplo, int trans, int n, int k, double alpha,
        double* a, int lda, double beta, double* c, int ldc);

    public const int Left = 141, Right = 142, NonUnit = 131;

    [LibraryImport(Library)]
    public static partial void cblas_dtrsm(int order, int side, int uplo, int transA, int diag, int m, int n, double alpha,
        double* a, int lda, double* b, int ldb);

    [LibraryImport(Library, EntryPoint = "dpotrf_")]
    public static partial void dpotrf(byte* uplo, int* n, double* a, int* lda, int* info);

    [LibraryImport(Library, EntryPoint = "dpotrs_")]
    public static partial void dpotrs(byte* uplo, int* n, int* nrhs, double* a, int* lda, double* b, int* ldb, int* info);

    [LibraryImport(Library, EntryPoint = "dsyevd_")]
    public static partial void dsyevd(byte* jobz, byte* uplo, int* n, double* a, int* lda, double* w,
        double* work, int* lwork, int* iwork, int* liwork, int* info);

    [LibraryImport(Library)]
    public static partial void openblas_set_num_threads(int threads);

    [LibraryImport(Library)]
    public static partial int openblas_get_num_threads();

    [LibraryImport(Library)]
    public static partial IntPtr openblas_get_config();

    [LibraryImport(Library)]
    public static partial IntPtr openblas_get_corename();

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int setenv(string name, string value, int overwrite);

    /// <summary>The kernel set OpenBLAS chose for this CPU (e.g. SkylakeX, Haswell, Prescott).</summary>
    public static string CoreName => Marshal.PtrToStringAnsi(openblas_get_corename()) ?? "unknown";

    /// <summary>
    /// Tells a DYNAMIC_ARCH OpenBLAS which kernels to use before it loads, unless the user already set
    /// OPENBLAS_CORETYPE. Why: OpenBLAS 0.3.21 identifies CPUs by model number, and on virtual machines whose CPU
    /// model it does not know (this project's 2-core Xeon VM among them) it falls back to its generic SSE3
    /// "Prescott" kernels, 4–5× slower than the AVX-512 ones the CPU runs. We choose from the instruction sets the
    /// CPU reports to .NET, so a kernel is never picked that the CPU cannot execute. It must go through libc's
    /// setenv: OpenBLAS reads getenv() in its load-time constructor, which .NET's Environment does not reach.
    /// </summary>
    private static void ChooseCoreType()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("OPENBLAS_CORETYPE") is { Length: > 0 }) return;
        string? core = null;
        if (System.Runtime.Intrinsics.X86.Avx512F.IsSupported && System.Runtime.Intrinsics.X86.Avx512BW.IsSupported &&
            System.Runtime.Intrinsics.X86.Avx512DQ.IsSupported && System.Runtime.Intrinsics.X86.Avx512F.VL.IsSupported)
            core = "SkylakeX";
        else if (System.Runtime.Intrinsics.X86.Avx2.IsSupported && System.Runtime.Intrinsics.X86.Fma.IsSupported)
            core = "Haswell";
        if (core is null) return;
        try
        {
            setenv("OPENBLAS_CORETYPE", core, 0);
            Environment.SetEnvironmentVariable("OPENBLAS_CORETYPE", core);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // No libc setenv: OpenBLAS picks its own kernels, slower on unknown CPUs but correct.
        }
    }

    /// <summary>Environment variable naming another OpenBLAS to load (a path or soname), e.g. a conda build.</summary>
    public const string LibraryVariable = "NTK_OPENBLAS_LIBRARY";

    private static IntPtr _handle;

    /// <summary>
    /// Loads the library (<see cref="LibraryVariable"/>, else <see cref="Library"/>) and checks it has every symbol we
    /// call; true when it does. Never throws. The P/Invoke declarations are then bound to exactly this handle.
    /// </summary>
    public static bool TryProbe(out string detail)
    {
        string name = Environment.GetEnvironmentVariable(LibraryVariable) is { Length: > 0 } custom ? custom : Library;
        ChooseCoreType();
        if (!NativeLibrary.TryLoad(name, typeof(OpenBlasNative).Assembly, null, out var handle))
        {
            detail = $"{name} not found";
            return false;
        }
        foreach (var symbol in new[] { "cblas_dgemm", "cblas_dsyrk", "cblas_dtrsm", "dpotrf_", "dpotrs_", "dsyevd_", "openblas_set_num_threads", "openblas_get_config" })
        {
            if (!NativeLibrary.TryGetExport(handle, symbol, out _))
            {
                detail = $"{name} lacks {symbol}, so it is not OpenBLAS";
                return false;
            }
        }
        if (Interlocked.CompareExchange(ref _handle, handle, IntPtr.Zero) == IntPtr.Zero)
            NativeLibrary.SetDllImportResolver(typeof(OpenBlasNative).Assembly,
                (library, _, _) => library == Library ? _handle : IntPtr.Zero);
        detail = (Marshal.PtrToStringAnsi(openblas_get_config()) ?? name) + $", kernels {CoreName}";
        return true;
    }
}
