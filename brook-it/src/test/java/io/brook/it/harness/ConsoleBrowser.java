package io.brook.it.harness;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium (Debian's {@code chromium} + {@code chromium-driver}) driven by Selenium, for the web console's
 * tests. A test without both programs is skipped by an assumption that names what to install. Screenshots go to
 * {@code brook-it/target/console-screenshots}. Not thread-safe: one test thread drives one browser.
 */
public final class ConsoleBrowser implements AutoCloseable {

    /** Where screenshots are kept as test artifacts. */
    public static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final WebDriver driver;
    private final WebDriverWait wait;

    private ConsoleBrowser(WebDriver driver) {
        this.driver = driver;
        this.wait = new WebDriverWait(driver, WAIT);
    }

    /** A new headless browser, or a skipped test when chromium or chromedriver is missing. */
    public static ConsoleBrowser start() {
        Optional<Path> chromium = program("chromium", "chromium-browser");
        Optional<Path> chromedriver = program("chromedriver");
        assumeTrue(chromium.isPresent() && chromedriver.isPresent(),
                "The console's browser tests need Debian's chromium and chromium-driver packages "
                        + "(apt-get install chromium chromium-driver); found chromium=" + chromium
                        + ", chromedriver=" + chromedriver);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.get().toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1366,1000", "--no-first-run", "--disable-extensions");
        // Naming the driver stops Selenium Manager from looking for (or downloading) one.
        System.setProperty("webdriver.chrome.driver", chromedriver.get().toString());
        return new ConsoleBrowser(new ChromeDriver(options));
    }

    public WebDriver driver() {
        return driver;
    }

    public void open(String url) {
        driver.get(url);
    }

    /** The element once visible, within the wait bound. */
    public WebElement visible(By by) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    /** Waits until the element's text contains {@code text}. */
    public void waitForText(By by, String text) {
        wait.until(ExpectedConditions.textToBePresentInElementLocated(by, text));
    }

    public void type(By by, String text) {
        WebElement field = visible(by);
        field.clear();
        field.sendKeys(text);
    }

    public void click(By by) {
        wait.until(ExpectedConditions.elementToBeClickable(by)).click();
    }

    public List<WebElement> all(By by) {
        return driver.findElements(by);
    }

    /** Saves a PNG of the page as {@code name.png} under {@link #SCREENSHOTS}. */
    public Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }

    private static Optional<Path> program(String... names) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String name : names) {
            Optional<Path> found = Stream.of(path.split(":")).map(dir -> Path.of(dir, name))
                    .filter(Files::isExecutable).findFirst();
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }
}
