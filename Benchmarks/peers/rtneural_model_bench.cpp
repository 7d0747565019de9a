// RTNeural run-time model harness: RTNeural::Model<float> parsed from Keras-format JSON (the
// sizes known only at run time, like CellForge's RuntimeKernel), one LSTM or GRU layer.
//
//   rtneural_model_bench lstm|gru D H [--quick]
//
// Build (Eigen backend, vendored by RTNeural; see build_rtneural_model.sh):
//   g++ -std=c++17 -O3 -march=native -DNDEBUG -DRTNEURAL_USE_EIGEN=1 -DRTNEURAL_DEFAULT_ALIGNMENT=32 \
//       -I$RTNEURAL_DIR -I$RTNEURAL_DIR/modules/Eigen -I$RTNEURAL_DIR/modules/json rtneural_model_bench.cpp -o rtneural_model_bench
//
// Timed as rtneural_bench.cpp times the compile-time layers (steady_clock, wall time):
//   single  one sequence, model.forward() once per step, the state carried, every h (H floats)
//           copied to a 1024-step output ring; inputs cycle through 1024 vectors. A run is
//           max(1e6, enough for 0.3 s) steps; 1 warm-up run, median of 5.
//   batch   256 sequences × 64 steps, one model, reset() before each sequence, every h copied.
// Prints one JSON object; "check" compares the first 1024 single-sequence steps with a float64
// reference of the same weights (exit status 3 above 1e-3).
#include <RTNeural/RTNeural.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>
#include <sstream>
#include <string>
#include <vector>

using Clock = std::chrono::steady_clock;
static double seconds(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }
static double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

int main(int argc, char** argv)
{
    if(argc < 4)
    {
        std::fprintf(stderr, "usage: %s lstm|gru D H [--quick]\n", argv[0]);
        return 2;
    }
    const std::string cell = argv[1];
    const int D = std::atoi(argv[2]), H = std::atoi(argv[3]);
    const bool quick = argc > 4 && std::strcmp(argv[4], "--quick") == 0;
    const bool lstm = cell == "lstm";
    if((!lstm && cell != "gru") || D < 1 || H < 1)
    {
        std::fprintf(stderr, "expected lstm|gru and positive D, H\n");
        return 2;
    }
    const int G = lstm ? 4 : 3;
    const long minSteps = quick ? 100000 : 1000000;
    const double minRun = quick ? 0.05 : 0.3;
    const int runs = quick ? 3 : 5;
    constexpr int RING = 1024, NSEQ = 256, TLEN = 64;

    // Weights in RTNeural's Keras layout: W[D][G·H], U[H][G·H]; LSTM b[G·H] (i, f, c, o),
    // GRU b[2][3H] (input, recurrent; z, r, h). PyTorch's default init range.
    std::mt19937 rng(12345u + 7u * D + 131u * H);
    const float k = 1.0f / std::sqrt((float)H);
    std::uniform_real_distribution<float> u(-k, k);
    std::vector<std::vector<float>> W(D, std::vector<float>(G * H)), U(H, std::vector<float>(G * H)), B(lstm ? 1 : 2, std::vector<float>(G * H));
    for(auto* m : { &W, &U, &B })
        for(auto& r : *m)
            for(auto& v : r) v = u(rng);
    std::ostringstream js;
    js.precision(9);
    auto matrix = [&](const std::vector<std::vector<float>>& m) {
        js << "[";
        for(size_t i = 0; i < m.size(); ++i)
        {
            js << (i ? ",[" : "[");
            for(size_t j = 0; j < m[i].size(); ++j) js << (j ? "," : "") << m[i][j];
            js << "]";
        }
        js << "]";
    };
    js << "{\"in_shape\": [null, null, " << D << "], \"layers\": [{\"type\": \"" << cell << "\", \"activation\": \"\", "
       << "\"shape\": [null, null, " << H << "], \"weights\": [";
    matrix(W);
    js << ",";
    matrix(U);
    js << ",";
    if(lstm)
    {
        js << "[";
        for(int j = 0; j < G * H; ++j) js << (j ? "," : "") << B[0][j];
        js << "]";
    }
    else
        matrix(B);
    js << "]}]}";
    const auto parseStart = Clock::now();
    auto model = RTNeural::json_parser::parseJson<float>(nlohmann::json::parse(js.str()));
    const double parseSeconds = seconds(parseStart, Clock::now());
    if(!model)
    {
        std::fprintf(stderr, "RTNeural did not parse the model\n");
        return 1;
    }
    model->reset();

    std::mt19937 rx(99);
    std::uniform_real_distribution<float> ux(-1.0f, 1.0f);
    std::vector<float> ringX(RING * D), batchX((size_t)NSEQ * TLEN * D), ringOut((size_t)RING * H), batchOut((size_t)NSEQ * TLEN * H);
    for(auto& v : ringX) v = ux(rng);
    for(auto& v : batchX) v = ux(rx);

    // float64 reference over the first 1024 steps.
    double maxErr = 0;
    {
        std::vector<double> h(H, 0.0), c(H, 0.0), a(G * H), r(G * H);
        auto sig = [](double x) { return 1.0 / (1.0 + std::exp(-x)); };
        for(int s = 0; s < RING; ++s)
        {
            const float* x = &ringX[(size_t)s * D];
            model->forward(x);
            std::memcpy(&ringOut[(size_t)s * H], model->getOutputs(), sizeof(float) * H);
            for(int q = 0; q < G * H; ++q)
            {
                double sx = 0, sh = 0;
                for(int j = 0; j < D; ++j) sx += (double)W[j][q] * x[j];
                for(int j = 0; j < H; ++j) sh += (double)U[j][q] * h[j];
                a[q] = sx;
                r[q] = sh;
            }
            std::vector<double> hn(H);
            for(int q = 0; q < H; ++q)
            {
                if(lstm)
                {
                    double i = sig(a[q] + r[q] + B[0][q]), f = sig(a[H + q] + r[H + q] + B[0][H + q]);
                    double g = std::tanh(a[2 * H + q] + r[2 * H + q] + B[0][2 * H + q]), o = sig(a[3 * H + q] + r[3 * H + q] + B[0][3 * H + q]);
                    c[q] = f * c[q] + i * g;
                    hn[q] = o * std::tanh(c[q]);
                }
                else
                {
                    double z = sig(a[q] + B[0][q] + r[q] + B[1][q]), rr = sig(a[H + q] + B[0][H + q] + r[H + q] + B[1][H + q]);
                    double n = std::tanh(a[2 * H + q] + B[0][2 * H + q] + rr * (r[2 * H + q] + B[1][2 * H + q]));
                    hn[q] = (1 - z) * n + z * h[q];
                }
            }
            h = hn;
            for(int q = 0; q < H; ++q) maxErr = std::max(maxErr, std::fabs((double)ringOut[(size_t)s * H + q] - h[q]));
        }
    }

    auto single = [&](long steps) {
        model->reset();
        auto t0 = Clock::now();
        for(long s = 0; s < steps; ++s)
        {
            const int q = (int)(s & (RING - 1));
            model->forward(&ringX[(size_t)q * D]);
            std::memcpy(&ringOut[(size_t)q * H], model->getOutputs(), sizeof(float) * H);
        }
        return seconds(t0, Clock::now());
    };
    long steps = minSteps;
    if(double t = single(steps); t < minRun) steps = std::max(steps, (long)std::ceil(steps * minRun / t));
    std::vector<double> singleNs;
    for(int q = 0; q < runs; ++q) singleNs.push_back(single(steps) * 1e9 / steps);

    auto batchPass = [&] {
        for(int n = 0; n < NSEQ; ++n)
        {
            model->reset();
            for(int t = 0; t < TLEN; ++t)
            {
                model->forward(&batchX[((size_t)n * TLEN + t) * D]);
                std::memcpy(&batchOut[((size_t)n * TLEN + t) * H], model->getOutputs(), sizeof(float) * H);
            }
        }
    };
    auto t0 = Clock::now();
    batchPass();
    const int passes = std::max(1, (int)std::ceil(minRun / seconds(t0, Clock::now())));
    std::vector<double> batchNs;
    for(int q = 0; q < runs; ++q)
    {
        auto a = Clock::now();
        for(int p = 0; p < passes; ++p) batchPass();
        batchNs.push_back(seconds(a, Clock::now()) * 1e9 / ((double)passes * NSEQ * TLEN));
    }
    bool finite = std::all_of(ringOut.begin(), ringOut.end(), [](float v) { return std::isfinite(v); })
        && std::all_of(batchOut.begin(), batchOut.end(), [](float v) { return std::isfinite(v); });
    std::printf("{\"producer\": \"rtneural-model\", \"cell\": \"%s\", \"input\": %d, \"hidden\": %d, \"backend\": \"eigen\", "
                "\"parseSeconds\": %.6f, \"singleNsPerStep\": %.3f, \"batchNsPerStep\": %.3f, "
                "\"check\": {\"finite\": %s, \"maxAbsErrVsFloat64Ref\": %.3e}}\n",
                cell.c_str(), D, H, parseSeconds, median(singleNs), median(batchNs), finite ? "true" : "false", maxErr);
    return finite && maxErr < 1e-3 ? 0 : 3;
}
