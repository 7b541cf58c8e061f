FROM ruby:3.1-bullseye
ENV BUNDLE_JOBS=4 BUNDLE_RETRY=3
WORKDIR /app
COPY Gemfile* ./
RUN --mount=type=cache,target=/usr/local/bundle/cache,sharing=locked \
    gem install bundler -v 2.5.10 && bundle install
COPY . ./
CMD ["bundle", "exec", "sidekiq", "-C", "config/sidekiq.yml"]
