package org.ich.testing;

import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Loaded into the S3Mock server process (not into tests): S3Mock binds its extra plain-HTTP Tomcat connector to
 * every interface, and tests may only listen on loopback, so each connector bean gets address 127.0.0.1.
 */
public class LoopbackConnectors implements BeanPostProcessor {
    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean.getClass().getName().equals("org.apache.catalina.connector.Connector")) {
            try {
                bean.getClass().getMethod("setProperty", String.class, String.class).invoke(bean, "address", "127.0.0.1");
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot bind S3Mock's connector to loopback", e);
            }
        }
        return bean;
    }
}
