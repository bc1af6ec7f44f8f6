package dev.switchboard.gateway.panel;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium from Debian's packages ({@code /usr/bin/chromium}, {@code /usr/bin/chromedriver}), driven by
 * Selenium without Selenium Manager (the driver path is given, nothing is downloaded). When the browser is missing
 * the tests are skipped with a message, except under {@code CI=true}, where they fail. Screenshots go to
 * {@code <build directory>/panel/screenshots}. Not thread-safe: one test thread.
 */
final class Browser implements AutoCloseable {
    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    final ChromeDriver driver;
    final Path screenshots;
    private final Path profile;

    private Browser(ChromeDriver driver, Path screenshots, Path profile) {
        this.driver = driver;
        this.screenshots = screenshots;
        this.profile = profile;
    }

    /** The module's build directory (surefire passes {@code project.build.directory}), else {@code target}. */
    static Path buildDirectory() {
        return Path.of(System.getProperty("project.build.directory", "target"));
    }

    /** Starts the browser at {@code width}x{@code height}, or skips (fails under CI) when it is not installed. */
    static Browser start(int width, int height) throws IOException {
        boolean present = Files.isExecutable(Path.of(CHROMIUM)) && Files.isExecutable(Path.of(CHROMEDRIVER));
        String why = "the panel's browser tests need Debian's chromium and chromium-driver (" + CHROMIUM + ", " + CHROMEDRIVER
                + "): apt-get install -y chromium chromium-driver";
        if (!present) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail("CI=true and no browser: " + why);
            }
            Assumptions.abort("skipped: " + why);
        }
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
        Path profile = Files.createTempDirectory("sb-panel-chromium");
        ChromeOptions o = new ChromeOptions();
        o.setBinary(CHROMIUM);
        o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile,
                "--window-size=" + width + "," + height, "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        ChromeDriver d = new ChromeDriver(service, o);
        d.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
        Path shots = buildDirectory().resolve("panel").resolve("screenshots");
        Files.createDirectories(shots);
        return new Browser(d, shots, profile);
    }

    /** Waits up to 15 s for {@code condition} to be non-null and non-false. */
    <T> T await(Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, Duration.ofSeconds(15)).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(condition);
    }

    /** Waits for an element matching {@code css} to be displayed. */
    WebElement visible(String css) {
        return await(d -> d.findElements(By.cssSelector(css)).stream().filter(WebElement::isDisplayed).findFirst().orElse(null));
    }

    /** Waits until some element matching {@code css} contains {@code text}. */
    WebElement withText(String css, String text) {
        return await(d -> d.findElements(By.cssSelector(css)).stream().filter(e -> e.getText().contains(text)).findFirst().orElse(null));
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Saves a PNG of the window as {@code <name>.png}. */
    Path screenshot(String name) throws IOException {
        Path to = screenshots.resolve(name + ".png");
        Files.write(to, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        return to;
    }

    /** Saves a PNG of the whole page (its full height), as {@code <name>.png}. */
    Path fullScreenshot(String name, int width) throws IOException {
        Number height = (Number) js("return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)");
        org.openqa.selenium.Dimension before = driver.manage().window().getSize();
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(width, Math.min(4000, height.intValue() + 120)));
        try {
            return screenshot(name);
        } finally {
            driver.manage().window().setSize(before);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temporary profile; best effort
            }
        }
    }
}
