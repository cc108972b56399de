package io.brook.broker.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SampledRateTest {

    @Test
    void shouldDivideByAtLeastSamplesMinusOneWindowsWhenJustStarted() {
        SampledRate rate = new SampledRate(11, 1000);
        rate.record(1000, 0);

        // 10 full windows assumed: 1000 bytes over 10 s
        assertThat(rate.windowSizeMs(0)).isEqualTo(10_000);
        assertThat(rate.measure(0)).isCloseTo(100.0, within(1e-9));
    }

    @Test
    void shouldMeasureTheSteadyRateOverTheKeptWindows() {
        SampledRate rate = new SampledRate(11, 1000);
        for (long t = 0; t <= 20_000; t += 100) {
            rate.record(100, t); // 1000 bytes per second
        }

        assertThat(rate.measure(20_000)).isCloseTo(1000.0, within(110.0));
    }

    @Test
    void shouldForgetWindowsOlderThanAllSamples() {
        SampledRate rate = new SampledRate(3, 1000);
        rate.record(9000, 0);

        assertThat(rate.measure(3000)).isZero();
    }

    @Test
    void shouldUnrecordFromTheCurrentWindow() {
        SampledRate rate = new SampledRate(2, 1000);
        rate.record(500, 0);
        rate.unrecord(200, 10);

        // 300 bytes over one assumed full window plus 10 ms
        assertThat(rate.measure(10)).isCloseTo(300.0 / 1.010, within(1e-9));
    }
}
