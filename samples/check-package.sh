#!/usr/bin/env bash
# Packs the NtkCluster library (and the math package it depends on) into a local feed, builds a fresh console project
# outside the repository that references the package and holds samples/QuickStart/Program.cs unchanged, runs it on the
# letters fixture, and checks what issue 14 asks of it:
#   - its exact KRR matches scikit-learn's KernelRidge (tests/NtkCluster.Numerics.Tests/Fixtures/expected-rbf-raw.csv)
#     to 1e-6 relative;
#   - the model it saved gives, through `ntk predict`, bitwise the predictions it computed itself;
#   - it ran in-process: no Akka assembly was loaded.
# Usage: samples/check-package.sh [NTK]   (NTK: the ntk executable; default: the Release build in the repository)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
ntk=${1:-$repo/src/Coordinator/bin/Release/net10.0/ntk}
fixtures=$repo/tests/NtkCluster.Numerics.Tests/Fixtures
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A version of its own, so a package cached by an earlier run is never taken for this one.
version="0.1.0-check.$(date +%s)"

dotnet pack "$repo/src/Shared/NtkCluster.Numerics" -c Release -o "$work/feed" -p:Version="$version" --nologo -v quiet
dotnet pack "$repo/src/Shared/NtkCluster" -c Release -o "$work/feed" -p:Version="$version" --nologo -v quiet

mkdir "$work/app" "$work/run"
cat > "$work/app/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="local" value="$work/feed" />
  </packageSources>
</configuration>
XML
cat > "$work/app/App.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <ImplicitUsings>enable</ImplicitUsings>
    <Nullable>enable</Nullable>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="NtkCluster" Version="$version" />
  </ItemGroup>
</Project>
XML
cp "$repo/samples/QuickStart/Program.cs" "$work/app/Program.cs"
dotnet build "$work/app" -c Release --nologo -v quiet -o "$work/bin"

cd "$work/run"
dotnet "$work/bin/App.dll" "$fixtures/letters-train.csv" "$fixtures/letters-test.csv" | tee "$work/out.txt"

# 1. Exact KRR against scikit-learn: max |ours − theirs| / max |theirs| ≤ 1e-6.
paste -d, <(tail -n +2 predictions-exact.csv) <(tail -n +2 "$fixtures/expected-rbf-raw.csv") | awk -F, '
  { d = $1 - $2; if (d < 0) d = -d; if (d > md) md = d; e = $2 < 0 ? -$2 : $2; if (e > me) me = e; n++ }
  END { r = md / me; printf "exact KRR vs scikit-learn KernelRidge: %d rows, relative max error %.3g\n", n, r; exit !(n == 200 && r <= 1e-6) }'

# 2. ntk predict on the saved model: the fixture's feature columns under the model's default names x1..x16.
awk -F, -v OFS=, 'NR == 1 { for (j = 1; j < NF; j++) $j = "x" j } { NF--; print }' "$fixtures/letters-test.csv" > test.csv
"$ntk" predict --model model.json --data test.csv --out ntk-predictions.csv
if ! cmp -s <(tail -n +2 ntk-predictions.csv) <(tail -n +2 predictions-rff.csv); then
  echo "check-package: ntk predict's predictions differ from the library's" >&2; exit 1
fi
echo "ntk predict on the C#-saved model: bitwise the library's predictions"

# 3. In-process: no actor system.
grep -qx 'actor system started: no' "$work/out.txt" || { echo "check-package: the sample loaded Akka" >&2; exit 1; }
echo "check-package: ok"
