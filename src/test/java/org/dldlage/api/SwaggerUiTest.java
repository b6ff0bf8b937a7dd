package org.dldlage.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.dldlage.support.SharedData;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * What QA does in a browser: open Swagger UI, "Try it out" on {@code POST /v1/age}, upload a real
 * face photo, execute, and read an age from the response. Drives a real headless Chromium (Debian
 * packages {@code chromium} and {@code chromium-driver}); skipped, saying so, where they are absent.
 */
class SwaggerUiTest extends ServiceTestSupport {

    private static final Path CHROMIUM = Path.of(System.getProperty("dldl.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("dldl.chromedriver", "/usr/bin/chromedriver"));

    @Test
    void aPhotoUploadedThroughSwaggerUiGetsAnAge() throws IOException {
        // name only what is missing: the browser and its driver come in two packages, often one without the other
        List<String> missing = new ArrayList<>();
        if (!Files.isExecutable(CHROMIUM)) {
            missing.add(CHROMIUM + " (Debian package chromium)");
        }
        if (!Files.isExecutable(CHROMEDRIVER)) {
            missing.add(CHROMEDRIVER + " (Debian package chromium-driver)");
        }
        assumeTrue(missing.isEmpty(), "not found: " + String.join(", ", missing)
                + "; install it to run the Swagger UI test (.ci/run does); test skipped");
        Path photo = SharedData.firstUtkfaceCrop().toRealPath();
        Path profile = Files.createTempDirectory("dldl-age-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,2000", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        WebDriver browser = new ChromeDriver(service, options);
        try {
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
            browser.get("http://127.0.0.1:" + port + "/swagger-ui.html");
            WebElement operation = wait.until(ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector("[id^='operations-age-'] .opblock-summary")));
            operation.click();
            WebElement tryOut = wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector(".try-out__btn")));
            if (tryOut.getText().trim().equalsIgnoreCase("Try it out")) { // already on when try-it-out-enabled is set
                tryOut.click();
            }
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".btn.execute"))); // in try-out mode
            WebElement align = wait.until(ExpectedConditions.elementToBeClickable(
                    By.cssSelector("tr[data-param-name='align'] select")));
            new Select(align).selectByVisibleText("none");
            WebElement file = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("input[type='file']")));
            file.sendKeys(photo.toString());
            browser.findElement(By.cssSelector(".btn.execute")).click();
            WebElement status = wait.until(ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector(".live-responses-table .response .response-col_status")));
            String body = wait.until(ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector(".live-responses-table .response-col_description pre"))).getText();
            assertThat(status.getText().trim()).as(body).startsWith("200");
            JsonNode face = json(body).get("faces").get(0);
            assertThat(face.get("age").asDouble()).isBetween(0.0, 100.0);
            assertThat(face.get("ageInterval").get("level").asDouble()).isEqualTo(0.8);
        } finally {
            browser.quit();
            deleteQuietly(profile);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
