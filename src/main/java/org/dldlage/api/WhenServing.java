package org.dldlage.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Profile;

/**
 * Marks the age service's beans (HTTP API, model runtime, batching worker): they exist only when
 * the web application runs, never under the {@code trainer}, {@code evaluate}, {@code study}, {@code report} or {@code agecheck} profiles.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Profile("!trainer & !evaluate & !study & !report & !agecheck")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public @interface WhenServing {}
