FROM ruby:3.2-alpine AS jekyll
RUN apk add --no-cache build-base gcompat
WORKDIR /srv/jekyll
COPY Gemfile Gemfile.lock ./
RUN bundle config set --local path vendor/bundle && bundle install --jobs 4
COPY . .
ENV JEKYLL_ENV=production
RUN bundle exec jekyll build -d /public

FROM nginx:1.27-alpine-slim
COPY --from=jekyll /public /usr/share/nginx/html
