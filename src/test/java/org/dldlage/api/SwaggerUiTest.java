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
 * face photo, execute, and read an age from the response; and pick several photos for
 * {@code POST /v1/age/batch}. Drives a real headless Chromium (Debian
 * packages {@code chromium} and {@code chromium-driver}); skipped, saying so, where they are absent.
 */
class SwaggerUiTest extends ServiceTestSupport {

    private static final Path CHROMIUM = Path.of(System.getProperty("dldl.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("dldl.chromedriver", "/usr/bin/chromedriver"));

    /** Something to do in a real headless Chromium on Swagger UI. */
    private interface InBrowser {
        void run(WebDriver browser, WebDriverWait wait) throws IOException;
    }

    private void inBrowser(InBrowser steps) throws IOException {
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
            steps.run(browser, wait);
        } finally {
            browser.quit();
            deleteQuietly(profile);
        }
    }

    /** Opens an operation, switches it to "Try it out" and picks align=none; returns the operation's element. */
    private static WebElement tryOut(WebDriverWait wait, String operationId) {
        WebElement operation = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("operations-age-" + operationId)));
        operation.findElement(By.cssSelector(".opblock-summary")).click();
        WebElement tryOut = wait.until(ExpectedConditions.elementToBeClickable(
                By.cssSelector("#operations-age-" + operationId + " .try-out__btn")));
        if (tryOut.getText().trim().equalsIgnoreCase("Try it out")) { // already on when try-it-out-enabled is set
            tryOut.click();
        }
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#operations-age-" + operationId + " .btn.execute")));
        WebElement align = wait.until(ExpectedConditions.elementToBeClickable(
                By.cssSelector("#operations-age-" + operationId + " tr[data-param-name='align'] select")));
        new Select(align).selectByVisibleText("none");
        return operation;
    }

    /** Executes the operation and returns its live response's status cell text and body. */
    private static String[] execute(WebDriverWait wait, WebElement operation, String operationId) {
        operation.findElement(By.cssSelector(".btn.execute")).click();
        String scope = "#operations-age-" + operationId + " .live-responses-table ";
        WebElement status = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector(scope + ".response .response-col_status")));
        String body = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector(scope + ".response-col_description pre"))).getText();
        return new String[] {status.getText().trim(), body};
    }

    @Test
    void aPhotoUploadedThroughSwaggerUiGetsAnAge() throws IOException {
        Path photo = SharedData.firstUtkfaceCrop().toRealPath();
        inBrowser((browser, wait) -> {
            WebElement operation = tryOut(wait, "upload");
            operation.findElement(By.cssSelector("input[type='file']")).sendKeys(photo.toString());
            String[] answer = execute(wait, operation, "upload");
            assertThat(answer[0]).as(answer[1]).startsWith("200");
            JsonNode face = json(answer[1]).get("faces").get(0);
            assertThat(face.get("age").asDouble()).isBetween(0.0, 100.0);
            assertThat(face.get("ageInterval").get("level").asDouble()).isEqualTo(0.8);
        });
    }

    @Test
    void severalPhotosPickedThroughSwaggerUiGetOneResultEach() throws IOException {
        List<Path> photos = SharedData.utkfaceTest(20, 60, 2);
        inBrowser((browser, wait) -> {
            WebElement operation = tryOut(wait, "batch");
            WebElement minimumAge = operation.findElement(By.cssSelector("tr[data-param-name='minimumAge'] input"));
            minimumAge.clear(); // Swagger UI fills in the documented example
            minimumAge.sendKeys("18");
            // the list of file choosers starts with one; "Add string item" adds another
            WebElement add = wait.until(ExpectedConditions.elementToBeClickable(
                    By.cssSelector("#operations-age-batch .json-schema-form-item-add")));
            while (operation.findElements(By.cssSelector("input[type='file']")).size() < 2) {
                add.click();
            }
            List<WebElement> files = operation.findElements(By.cssSelector("input[type='file']"));
            assertThat(files).hasSize(2);
            for (int i = 0; i < 2; i++) {
                files.get(i).sendKeys(photos.get(i).toRealPath().toString());
            }
            String[] answer = execute(wait, operation, "batch");
            assertThat(answer[0]).as(answer[1]).startsWith("200");
            JsonNode results = json(answer[1]).get("results");
            assertThat(results).hasSize(2);
            for (JsonNode r : results) {
                assertThat(r.get("status").asInt()).isEqualTo(200);
                assertThat(r.get("faces").get(0).get("decision").asText()).isIn("pass", "refer", "fail");
            }
            assertThat(json(answer[1]).get("ageCheck").get("minimumAge").asDouble()).isEqualTo(18.0);
        });
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
